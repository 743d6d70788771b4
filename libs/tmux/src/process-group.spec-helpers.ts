import { execFileSync } from 'node:child_process';

/** `ps`'s view of a process group: the pids of its members that are not zombies. */
export function runningGroupMembers(pgid: number): number[] {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,pgid=,stat='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([pid, g, stat]) => pid && Number(g) === pgid && !stat.startsWith('Z'))
    .map(([pid]) => Number(pid));
}
