import type { Env, IapeerPaths } from '@iapeer/core';
import { loadRuntimes, type RuntimeAdapter } from '@iapeer/runtimes';

/**
 * The runtime adapters the router can deliver through. Manifests may be added while the
 * router runs (a new custom runtime), so a miss reloads once before giving up.
 */
export function createRuntimeCatalog(paths: IapeerPaths, env: Env): (runtime: string) => RuntimeAdapter | undefined {
  let adapters = loadRuntimes({ paths, env }).adapters;
  return (runtime) => {
    const hit = adapters.get(runtime);
    if (hit) return hit;
    adapters = loadRuntimes({ paths, env }).adapters;
    return adapters.get(runtime);
  };
}
