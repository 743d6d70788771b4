import { describeFailure, type CommandRunner } from '@iapeer/servicefiles';
import { locatePluginManifest } from './plugin-manifest';
import type { EnabledPeer } from './peer-lookup';

/**
 * The plugin's declared setup, best-effort (it never rolls back the install):
 * - `ok`: it ran and exited 0;
 * - `failed`: it exited non-zero, or its iapeer.json is invalid (see `detail`);
 * - `none`: the plugin declares no setup (or ships no iapeer.json);
 * - `skipped`: `--no-setup`, or no runtime got the plugin installed.
 */
export type SetupState = 'ok' | 'failed' | 'none' | 'skipped';

export interface SetupResult {
  state: SetupState;
  detail?: string;
}

export interface RunSetupOptions {
  pluginName: string;
  peer: EnabledPeer;
  /** Where installed plugins live: iapeer's `<root>/plugins`, `~/.claude/plugins`, `$CODEX_HOME/plugins`. */
  roots: readonly string[];
  run: CommandRunner;
  env: NodeJS.ProcessEnv;
}

/** Runs the setup in the peer's folder with the peer's identity ABI. Never throws. */
export async function runPluginSetup(opts: RunSetupOptions): Promise<SetupResult> {
  let located;
  try {
    located = locatePluginManifest(opts.pluginName, opts.roots);
  } catch (err) {
    return { state: 'failed', detail: (err as Error).message };
  }
  if (!located) return { state: 'none', detail: 'no iapeer.json found for the plugin' };
  if (!located.setup) return { state: 'none', detail: `${located.dir}/iapeer.json declares no setup` };
  const env = {
    ...opts.env,
    PEER_PERSONALITY: opts.peer.personality,
    IAPEER_PEER_CWD: opts.peer.cwd,
    IAPEER_PEER_RUNTIMES: opts.peer.runtimes.join(','),
    IAPEER_PLUGIN_DIR: located.dir,
  };
  const res = await opts.run(located.setup.argv, { cwd: opts.peer.cwd, env, timeoutMs: located.setup.timeoutMs });
  return res.code === 0 ? { state: 'ok' } : { state: 'failed', detail: describeFailure(located.setup.argv, res) };
}
