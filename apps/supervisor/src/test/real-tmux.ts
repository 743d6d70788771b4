import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { IapeerPaths } from '@iapeer/core';

/** Starts a real, isolated tmux server for `identity` running a trivial program (test/bench helper). */
export function spawnSleeper(paths: Pick<IapeerPaths, 'sockDir' | 'tmuxSocket'>, identity: string, program = ['sleep', '600']): void {
  fs.mkdirSync(paths.sockDir, { recursive: true, mode: 0o700 });
  execFileSync('tmux', ['-S', paths.tmuxSocket(identity), 'new-session', '-d', '-s', identity, '-x', '80', '-y', '20', ...program], { stdio: 'ignore' });
}

/** Kills every tmux server under the sandbox's sockDir (afterAll). */
export function killAllServers(paths: Pick<IapeerPaths, 'sockDir'>): void {
  let names: string[] = [];
  try {
    names = fs.readdirSync(paths.sockDir);
  } catch {
    return; // nothing was started
  }
  for (const n of names.filter((x) => x.endsWith('.sock'))) {
    const sock = `${paths.sockDir}/${n}`;
    try {
      execFileSync('tmux', ['-S', sock, 'kill-server'], { stdio: 'ignore' });
    } catch {
      // already gone: the server exited with its last session
    }
    fs.rmSync(sock, { force: true });
  }
}
