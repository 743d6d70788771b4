import { launch, loadRuntimes, type RuntimeAdapter } from '@iapeer/runtimes';
import type { IapeerConfig, IapeerPaths } from '@iapeer/core';
import type { TmuxDriver } from '@iapeer/tmux';
import { mintSessionToken, revokeSessionToken } from '@iapeer/tokens';
import type { AdapterRegistry, Launcher } from '../core/ports';

/**
 * The supervisor's Launcher over libs/runtimes `launch()` (§7.8) and the tmux driver.
 * The session env is the supervisor's env (the identity ABI is written last by the
 * driver). Every spawn mints a fresh per-session token (issue 9): only its hash is on
 * disk, the session gets it as IAPEER_PEER_TOKEN, and the previous session's is stale.
 */
export function createRuntimesLauncher(opts: {
  env: Record<string, string | undefined>;
  config: IapeerConfig;
  tmux: TmuxDriver;
  paths: IapeerPaths;
}): Launcher {
  return {
    async launch(spec, adapter, firstMessage, o) {
      o?.onPhase?.('spawning');
      const env = { ...opts.env };
      const sessionToken = adapter.kind === 'tui' ? mintSessionToken(opts.paths, spec.identity) : undefined;
      o?.onPhase?.('booting');
      const result = await launch({
        spec: {
          cwd: spec.cwd,
          identity: spec.identity,
          personality: spec.personality,
          systemPromptFile: spec.systemPromptFile,
          resume: spec.resume,
          env,
          paneLog: spec.paneLog,
          intelligence: spec.intelligence,
          sessionToken,
          launchEnv: spec.launchEnv,
        },
        adapter,
        firstMessage,
        tmux: opts.tmux,
        cfg: { ...opts.config, bootDeadlineSecs: spec.bootDeadlineSecs, readyGateSecs: spec.readyGateSecs },
      });
      if (result.status === 'FAILED' && sessionToken && !(await opts.tmux.isAlive(spec.identity))) revokeSessionToken(opts.paths, spec.identity, sessionToken);
      return result;
    },
  };
}

/**
 * Built-in and manifest runtimes (libs/runtimes `loadRuntimes`). A manifest added while
 * the supervisor runs is picked up: a miss reloads once.
 */
export function createRuntimeAdapters(opts: { paths: IapeerPaths; env: Record<string, string | undefined> }): AdapterRegistry {
  let loaded = loadRuntimes({ paths: opts.paths, env: opts.env });
  return {
    get(runtime): RuntimeAdapter | null {
      const hit = loaded.adapters.get(runtime);
      if (hit) return hit;
      loaded = loadRuntimes({ paths: opts.paths, env: opts.env });
      return loaded.adapters.get(runtime) ?? null;
    },
    // Read after a get() miss, which reloaded: the problem is the manifest as it is now.
    problem: (runtime) => loaded.problems.find((p) => p.runtime === runtime)?.message ?? null,
  };
}
