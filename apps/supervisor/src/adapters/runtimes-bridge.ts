import * as runtimes from '@iapeer/runtimes';
import type { IapeerConfig, IapeerPaths } from '@iapeer/core';
import type { RuntimeAdapter } from '@iapeer/runtimes';
import type { Logger } from 'pino';
import type { AdapterRegistry, Launcher, Liveness } from '../core/ports';

/**
 * The bridge to libs/runtimes, which is being written on another branch. Its exports are
 * looked up by name so this file compiles today and works unchanged if the names match:
 *   launch(spec, adapter, firstMessage, { onPhase, env, paths, config }) → LaunchResult
 *   resolveAdapter(runtime, { paths, env, config }) → RuntimeAdapter | null
 * If they differ, this is the one file to adjust at merge time.
 */
type LaunchFn = (...args: unknown[]) => Promise<runtimes.LaunchResult>;
type ResolveAdapterFn = (runtime: string, opts: unknown) => RuntimeAdapter | null;

const exported = runtimes as unknown as Record<string, unknown>;
// computed keys: the bundler must not resolve (and warn about) not-yet-existing exports
const LAUNCH: string = 'launch';
const RESOLVE_ADAPTER: string = 'resolveAdapter';

export function createRuntimesLauncher(opts: { paths: IapeerPaths; env: Record<string, string | undefined>; config: IapeerConfig; tmux: Liveness; logger: Logger }): Launcher {
  const launch = exported[LAUNCH] as LaunchFn | undefined;
  return {
    async launch(spec, adapter, firstMessage, o) {
      if (typeof launch !== 'function') {
        opts.logger.error({ identity: spec.identity }, 'launch() is not available: libs/runtimes is not merged in this build');
        return { status: 'FAILED', reason: 'launcher not wired: libs/runtimes launch() is missing from this build' };
      }
      return launch(spec, adapter, firstMessage, { onPhase: o?.onPhase, env: opts.env, paths: opts.paths, config: opts.config });
    },
  };
}

export function createRuntimeAdapters(opts: { paths: IapeerPaths; env: Record<string, string | undefined>; config: IapeerConfig }): AdapterRegistry {
  const resolve = exported[RESOLVE_ADAPTER] as ResolveAdapterFn | undefined;
  return {
    get(runtime) {
      if (typeof resolve !== 'function') return null;
      return resolve(runtime, opts);
    },
  };
}
