import { describeFailure, type CommandResult, type CommandRunner } from '@iapeer/servicefiles';

/** The agent runtimes that take capability plugins; any other runtime is skipped. */
export const PLUGIN_RUNTIMES = ['claude', 'codex'] as const;
export type PluginRuntime = (typeof PLUGIN_RUNTIMES)[number];
export const isPluginRuntime = (rt: string): rt is PluginRuntime => (PLUGIN_RUNTIMES as readonly string[]).includes(rt);

/**
 * Outcome of installing for one runtime:
 * - `installed`: the install command succeeded (re-running it is how enable stays idempotent);
 * - `installed-after-refresh`: it failed, the marketplace was refreshed, the retry succeeded;
 * - `failed`: it failed after the retry (see `detail`).
 */
export type InstallState = 'installed' | 'installed-after-refresh' | 'failed';

export interface RuntimeInstallResult {
  runtime: PluginRuntime;
  state: InstallState;
  /** Where it went: the peer's project (claude) or the host config (codex). */
  scope: string;
  detail?: string;
}

export interface InstallPluginOptions {
  runtime: PluginRuntime;
  /** `name` or `name@marketplace`. */
  plugin: string;
  peerCwd: string;
  bin: string;
  run: CommandRunner;
  env: NodeJS.ProcessEnv;
}

/** The commands per runtime (docs/behaviour.md §10 `enable`): claude at project scope in the peer folder; codex host-wide. */
export function pluginCommands(runtime: PluginRuntime, bin: string, plugin: string): { install: string[]; refresh: string[]; scope: string } {
  return runtime === 'claude'
    ? { install: [bin, 'plugin', 'install', plugin, '--scope', 'project'], refresh: [bin, 'plugin', 'marketplace', 'update'], scope: 'project' }
    : { install: [bin, 'plugin', 'add', plugin], refresh: [bin, 'plugin', 'marketplace', 'upgrade'], scope: 'host config' };
}

const ok = (r: CommandResult) => r.code === 0;

/** Installs once; on failure refreshes the marketplace and retries exactly once. Never throws. */
export async function installPlugin(opts: InstallPluginOptions): Promise<RuntimeInstallResult> {
  const cmds = pluginCommands(opts.runtime, opts.bin, opts.plugin);
  const run = (argv: string[]) => opts.run(argv, { cwd: opts.peerCwd, env: opts.env, timeoutMs: 180_000 });
  const first = await run(cmds.install);
  if (ok(first)) return { runtime: opts.runtime, state: 'installed', scope: cmds.scope };
  const refresh = await run(cmds.refresh);
  const second = await run(cmds.install);
  if (ok(second)) return { runtime: opts.runtime, state: 'installed-after-refresh', scope: cmds.scope };
  const refreshNote = ok(refresh) ? '' : ` (the marketplace refresh failed too: ${describeFailure(cmds.refresh, refresh)})`;
  return { runtime: opts.runtime, state: 'failed', scope: cmds.scope, detail: `${describeFailure(cmds.install, second)}${refreshNote}` };
}
