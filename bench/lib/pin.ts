import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

let taskset: string | null | undefined;

/** taskset's absolute path (no PATH lookup per spawn), or null where there is none (macOS). */
function findTaskset(): string | null {
  if (taskset !== undefined) return taskset;
  const known = ['/usr/bin/taskset', '/bin/taskset'].find((p) => fs.existsSync(p));
  const found = known ?? (spawnSync('sh', ['-c', 'command -v taskset'], { encoding: 'utf8' }).stdout.trim() || null);
  taskset = found && spawnSync(found, ['-c', '0', 'true']).status === 0 ? found : null;
  return taskset;
}

/** True when `taskset` runs here (Linux with util-linux). */
export function hasTaskset(): boolean {
  return findTaskset() !== null;
}

/**
 * The command line that runs `cmd args` on one CPU core (`taskset -c <core>`), or
 * unpinned when `core` is undefined or taskset is missing. On 2 vCPUs a round trip is
 * bimodal (same core vs across cores: docs/notes/stack.md), so the benches pin both ends.
 */
export function pinned(core: number | undefined, cmd: string, args: string[]): [string, string[]] {
  const bin = findTaskset();
  if (core === undefined || bin === null) return [cmd, args];
  return [bin, ['-c', String(core), cmd, ...args]];
}
