import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { parseIdentity, type IapeerPaths } from '@iapeer/core';
import type { GoneClass } from '@iapeer/tmux';
import type { Liveness } from '../core/ports';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function tmux(socket: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('tmux', ['-S', socket, ...args], { encoding: 'utf8', timeout: 5000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? ((err as any).code as number) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const SOCK_RE = /^tmux-iap-(.+)\.sock$/;

/**
 * The slice of the tmux driver the supervisor needs (is-alive, kill, classify, list), on
 * the real tmux with one server per identity (§2.4). A stand-in until libs/tmux's
 * `createTmuxDriver` is merged; it honours `remain-on-exit` (a dead pane is not alive).
 */
export function createTmuxLiveness(paths: Pick<IapeerPaths, 'sockDir' | 'tmuxSocket'>): Liveness {
  const isAlive = async (identity: string): Promise<boolean> => {
    const socket = paths.tmuxSocket(identity);
    if (!fs.existsSync(socket)) return false;
    const r = await tmux(socket, ['list-panes', '-s', '-t', `=${identity}`, '-F', '#{pane_dead}']);
    return r.code === 0 && r.stdout.split('\n').some((l) => l.trim() === '0');
  };
  return {
    isAlive,
    async kill(identity) {
      const socket = paths.tmuxSocket(identity);
      if (!fs.existsSync(socket)) return;
      await tmux(socket, ['kill-session', '-t', `=${identity}`]);
      const left = await tmux(socket, ['list-sessions', '-F', '#{session_name}']);
      if (left.code !== 0 || left.stdout.trim() === '') {
        await tmux(socket, ['kill-server']);
        fs.rmSync(socket, { force: true }); // kill-server leaves the socket file behind (STACK.md)
      }
    },
    async classifyGone(identity): Promise<GoneClass> {
      const socket = paths.tmuxSocket(identity);
      if (!fs.existsSync(socket)) return 'server-dead';
      return (await tmux(socket, ['list-sessions'])).code === 0 ? 'session-gone' : 'server-dead';
    },
    async listLive() {
      let names: string[];
      try {
        names = fs.readdirSync(paths.sockDir);
      } catch {
        return []; // no socket dir yet: nothing has ever been launched
      }
      const ids = names.map((n) => SOCK_RE.exec(n)?.[1]).filter((id): id is string => Boolean(id && parseIdentity(id)));
      const alive = await Promise.all(ids.map(async (id) => ((await isAlive(id)) ? id : null)));
      return alive.filter((id): id is string => id !== null).sort();
    },
  };
}
