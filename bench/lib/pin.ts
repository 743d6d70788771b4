import { spawnSync } from 'node:child_process';

let cached: boolean | undefined;

/** True when `taskset` runs here (Linux with util-linux); macOS has none. */
export function hasTaskset(): boolean {
  cached ??= spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  return cached;
}

/**
 * The command line that runs `cmd args` on one CPU core (`taskset -c <core>`), or
 * unpinned when `core` is undefined or taskset is missing. On 2 vCPUs a round trip is
 * bimodal (same core vs across cores: STACK.md), so the benches pin both ends.
 */
export function pinned(core: number | undefined, cmd: string, args: string[]): [string, string[]] {
  if (core === undefined || !hasTaskset()) return [cmd, args];
  return ['taskset', ['-c', String(core), cmd, ...args]];
}
