import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { SpawnSpec, TmuxDriver } from '@iapeer/tmux';

/**
 * TEST-ONLY stand-in for libs/tmux's driver while it is being written on another
 * branch: the same `TmuxDriver` port, one isolated tmux server per harness (`-S` under
 * the sandbox), commands through execFile. Replace with `createTmuxDriver` once merged.
 */
export interface RawTmux extends TmuxDriver {
  socket: string;
  /** Types literal text (`send-keys -l`): for control commands like `/compact`. */
  typeText(identity: string, text: string): Promise<void>;
  /** Kills the whole test server and removes its socket (afterAll). */
  destroy(): Promise<void>;
}

export function createRawTmux(socket: string): RawTmux {
  const tmux = (args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> =>
    new Promise((resolve, reject) => {
      const child = execFile('tmux', ['-S', socket, ...args], { env: opts.env ?? process.env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`tmux ${args[0]} failed: ${stderr.trim() || err.message}`));
        else resolve(stdout);
      });
      if (opts.input !== undefined) child.stdin?.end(opts.input);
    });
  const target = (identity: string) => `=${identity}:0.0`;
  let bufferSeq = 0;
  return {
    socket,
    async spawn(spec: SpawnSpec) {
      const envArgs = Object.entries(spec.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
      // The server inherits the env of the client that starts it; -e pins the session's own.
      await tmux(['new-session', '-d', '-s', spec.identity, '-x', String(spec.width ?? 220), '-y', String(spec.height ?? 50), '-c', spec.cwd, ...envArgs, '--', ...spec.argv], {
        env: { ...spec.env },
      });
      await tmux(['set-option', '-t', spec.identity, 'remain-on-exit', 'on']);
      await tmux(['pipe-pane', '-t', target(spec.identity), `cat >> '${spec.paneLog.replace(/'/g, `'\\''`)}'`]);
    },
    async isAlive(identity) {
      try {
        return (await tmux(['display-message', '-p', '-t', target(identity), '#{pane_dead}'])).trim() === '0';
      } catch {
        // No server or no such session: not alive.
        return false;
      }
    },
    async listLive() {
      try {
        return (await tmux(['list-sessions', '-F', '#{session_name}'])).split('\n').filter(Boolean);
      } catch {
        // No server: nothing live.
        return [];
      }
    },
    capture: (identity, opts) => tmux(['capture-pane', '-p', '-t', target(identity), ...(opts?.scrollback ? ['-S', String(-opts.scrollback)] : [])]),
    async paste(identity, text) {
      const buffer = `iap-test-${process.pid}-${++bufferSeq}`;
      await tmux(['load-buffer', '-b', buffer, '-'], { input: text });
      await tmux(['paste-buffer', '-p', '-d', '-b', buffer, '-t', target(identity)]);
    },
    async sendKeys(identity, keys) {
      await tmux(['send-keys', '-t', target(identity), ...keys]);
    },
    async typeText(identity, text) {
      await tmux(['send-keys', '-t', target(identity), '-l', text]);
    },
    async kill(identity) {
      try {
        await tmux(['kill-session', '-t', `=${identity}`]);
      } catch {
        // Already gone: kill is idempotent.
      }
    },
    async classifyGone() {
      return fs.existsSync(socket) ? 'session-gone' : 'server-dead';
    },
    async destroy() {
      let groups: number[] = [];
      try {
        groups = (await tmux(['list-panes', '-a', '-F', '#{pane_pid}'])).split('\n').filter(Boolean).map(Number);
        await tmux(['kill-server']);
      } catch {
        // Server already gone: nothing of ours is running in it.
      }
      fs.rmSync(socket, { force: true });
      // The agents keep writing their HOME while they exit on SIGHUP: wait for every
      // process of each pane (one process group per pane) before the sandbox is removed.
      await waitForGroupsGone(groups, 10_000);
    },
  };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    // ESRCH: no process left in the group. EPERM would mean it exists but is not ours.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForGroupsGone(groups: number[], timeoutMs: number, thenKill = true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (groups.some(groupAlive)) {
    if (Date.now() > deadline) {
      if (!thenKill) return;
      // Still there after the grace period: these are our own test agents, end them hard.
      for (const g of groups.filter(groupAlive)) process.kill(-g, 'SIGKILL');
      return waitForGroupsGone(groups, 5_000, false);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
