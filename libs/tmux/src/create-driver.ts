import fs from 'node:fs';
import path from 'node:path';
import { IapeerError, parseIdentity } from '@iapeer/core';
import type { GoneClass, PaneState, PasteOptions, SpawnSpec, TmuxDriver } from './driver';
import { chainArgs, createExecRunner, isAbsentError, isServerDeadError, type TmuxRunner } from './run-tmux';
import { assertSocketPathFits, identityOfSocketName, tmuxSocketPath } from './socket-path';

export interface TmuxDriverOptions {
  /** Where the per-identity sockets live (`resolvePaths(env).sockDir`, docs/behaviour.md §2.4). */
  sockDir: string;
  /** @default 'tmux' */
  tmuxBin?: string;
  /** Environment of the tmux client processes. @default process.env */
  baseEnv?: NodeJS.ProcessEnv;
  /** Seam for unit tests; the default runs the real tmux with execFile. */
  run?: TmuxRunner;
  /** @default process.platform (decides the socket-path limit) */
  platform?: NodeJS.Platform;
  /** Signals a process or, with a negative pid, a process group. Seam for unit tests. @default process.kill */
  signal?: (pid: number, sig: NodeJS.Signals | 0) => void;
  /** How long `kill` waits for the agent to exit after SIGTERM before SIGKILL. @default 3000 */
  killGraceMs?: number;
}

/** Variables a nested tmux or a parent agent leaves behind that must not leak into a peer. */
const STRIPPED_ENV = /^(TMUX|TMUX_PANE|CLAUDECODE|CLAUDE_CODE_.*)$/;

let bufferSeq = 0;
const DEAD_MARK = 'iap-pane-dead';

/** The real tmux driver: one server per identity, session name = identity, one pane. */
export function createTmuxDriver(opts: TmuxDriverOptions): TmuxDriver & { socketOf(identity: string): string; inspect(identity: string): Promise<PaneState> } {
  const baseEnv = withoutNestedTmux(opts.baseEnv ?? process.env);
  const run = opts.run ?? createExecRunner(opts.tmuxBin ?? 'tmux', baseEnv);
  const platform = opts.platform ?? process.platform;

  const socketOf = (identity: string): string => {
    // Identities also appear inside tmux command strings (if-shell, below): only well-formed ones pass.
    if (!parseIdentity(identity)) throw new IapeerError('INVALID_INPUT', `"${identity}" is not an identity <runtime>-<personality>`, { data: { identity } });
    const socket = tmuxSocketPath(opts.sockDir, identity);
    assertSocketPathFits(socket, platform);
    return socket;
  };
  // The one pane of the session, addressed exactly (`=` = no prefix matching; docs/notes/stack.md:
  // a bare session target hits whatever pane is focused).
  const paneOf = (identity: string) => `=${identity}:0.0`;
  const tmux = (identity: string, args: string[], input?: string) => run(socketOf(identity), args, input === undefined ? undefined : { input });

  async function inspect(identity: string): Promise<PaneState> {
    try {
      const out = await tmux(identity, ['display-message', '-p', '-t', paneOf(identity), '#{pane_dead} #{pane_dead_status} #{pane_dead_signal} #{pane_pid}']);
      const [dead, status, signal, pid] = out.trim().split(' ');
      if (dead === '1') return { state: 'dead', exitStatus: toInt(status), exitSignal: toInt(signal) };
      return { state: 'running', pid: toInt(pid) };
    } catch (err) {
      if (!isAbsentError(err)) throw err;
      return { state: 'absent', gone: await classifyGone(identity) };
    }
  }

  async function classifyGone(identity: string): Promise<GoneClass> {
    const socket = socketOf(identity);
    if (!fs.existsSync(socket)) return 'server-dead';
    try {
      await run(socket, ['list-sessions', '-F', '#{session_name}']);
      return 'session-gone';
    } catch (err) {
      if (isServerDeadError(err)) return 'server-dead';
      throw err;
    }
  }

  /** Session names on the identity's server, or null when no server answers. */
  async function listSessions(identity: string): Promise<string[] | null> {
    try {
      const out = await tmux(identity, ['list-sessions', '-F', '#{session_name}']);
      return out.split('\n').filter(Boolean);
    } catch (err) {
      if (isAbsentError(err)) return null;
      throw err;
    }
  }

  function removeSocket(identity: string): void {
    fs.rmSync(socketOf(identity), { force: true });
  }

  const signal = opts.signal ?? ((pid: number, sig: NodeJS.Signals | 0) => void process.kill(pid, sig));
  const graceMs = opts.killGraceMs ?? 3000;
  const exists = (pid: number): boolean => {
    try {
      signal(-pid, 0);
      return true;
    } catch {
      return false; // ESRCH: the whole group is gone (EPERM cannot happen: we started it)
    }
  };

  /**
   * Ends what ran in the pane once its session is gone. Closing the pty only sends SIGHUP,
   * and the real Claude Code 2.1.197 survives it: every idle reap left a running claude
   * reparented to init (found by the e2e lifecycle test against the real CLI; the next
   * start with --continue then took ~18 s instead of ~2 s). The pane's program leads its
   * own process group (tmux setsid()s it), so the group gets SIGTERM, then SIGKILL after
   * the grace period. The pid was read from a running pane just before the kill, so it
   * cannot be a recycled one.
   */
  async function reapPaneGroup(pid: number): Promise<void> {
    if (!exists(pid)) return;
    try {
      signal(-pid, 'SIGTERM');
    } catch {
      return; // exited between the check and the signal
    }
    const end = Date.now() + graceMs;
    while (Date.now() < end) {
      if (!exists(pid)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    try {
      signal(-pid, 'SIGKILL');
    } catch {
      // exited at the last moment: nothing left to kill
    }
  }

  /** The pid of a running pane (null when absent, dead, or unreadable). */
  async function runningPanePid(identity: string): Promise<number | null> {
    try {
      const st = await inspect(identity);
      return st.state === 'running' ? st.pid : null;
    } catch {
      return null; // best-effort: the kill itself still runs and reports tmux's errors
    }
  }

  return {
    socketOf,
    inspect,
    classifyGone,

    async spawn(spec: SpawnSpec): Promise<void> {
      const id = parseIdentity(spec.identity);
      if (!id) throw new IapeerError('INVALID_INPUT', `cannot spawn "${spec.identity}": not an identity <runtime>-<personality>`, { data: { identity: spec.identity } });
      if (spec.argv.length === 0) throw new IapeerError('INVALID_INPUT', `cannot spawn ${spec.identity}: argv is empty (argv[0] must be the program)`);
      const socket = socketOf(spec.identity);
      fs.mkdirSync(path.dirname(socket), { recursive: true, mode: 0o700 });
      fs.mkdirSync(path.dirname(spec.paneLog), { recursive: true, mode: 0o700 });
      // pipe-pane's `cat >>` would create the log 0644 (the shell's umask); the pane shows
      // everything the agent sees, so create it private first (an existing one keeps growing)
      fs.closeSync(fs.openSync(spec.paneLog, 'a', 0o600));
      fs.chmodSync(spec.paneLog, 0o600);
      // The identity ABI is written last so nothing in spec.env can override it (§2.1).
      const abi = { PEER_PERSONALITY: id.personality, PEER_RUNTIME: id.runtime, PEER_IDENTITY: spec.identity };
      const env: NodeJS.ProcessEnv = { ...withoutNestedTmux(spec.env), ...abi };
      const abiFlags = Object.entries(abi).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
      // One invocation: the server starts with this env (its global environment), remain-on-exit
      // is on before the program runs (a crash leaves a dead pane, seen as #{pane_dead}), and
      // pipe-pane is attached before the server reads any output from the pane.
      const args = chainArgs(
        ['start-server'],
        ['set-option', '-g', 'remain-on-exit', 'on'],
        ['new-session', '-d', '-s', spec.identity, '-x', String(spec.width ?? 220), '-y', String(spec.height ?? 50), '-c', spec.cwd, ...abiFlags, '--', ...spec.argv],
        ['pipe-pane', '-t', paneOf(spec.identity), `cat >> ${shellQuote(spec.paneLog)}`],
      );
      await run(socket, args, { env });
    },

    async isAlive(identity: string): Promise<boolean> {
      return (await inspect(identity)).state === 'running';
    },

    async listLive(): Promise<string[]> {
      let names: string[];
      try {
        names = fs.readdirSync(opts.sockDir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
      const candidates = names.map(identityOfSocketName).filter((id): id is string => id !== null && parseIdentity(id) !== null);
      const live = await Promise.all(
        candidates.map(async (identity) => {
          try {
            const out = await tmux(identity, ['list-panes', '-a', '-F', '#{session_name} #{pane_dead}']);
            // A socket counts only when a session of its own name runs on it (§6.1).
            return out.split('\n').some((line) => line === `${identity} 0`) ? identity : null;
          } catch (err) {
            if (isAbsentError(err)) return null;
            throw err;
          }
        }),
      );
      return live.filter((id): id is string => id !== null).sort();
    },

    async capture(identity: string, capOpts: { scrollback?: number } = {}): Promise<string> {
      const history = capOpts.scrollback && capOpts.scrollback > 0 ? ['-S', `-${Math.floor(capOpts.scrollback)}`] : [];
      return tmux(identity, ['capture-pane', '-p', '-t', paneOf(identity), ...history]);
    },

    async paste(identity: string, text: string, pasteOpts: PasteOptions = {}): Promise<void> {
      const buffer = `iap-${process.pid}-${Date.now()}-${++bufferSeq}`;
      const pane = paneOf(identity);
      // load-buffer reads the body from stdin (never argv: no quoting, no `;` trap, no ARG_MAX),
      // paste-buffer -p wraps it in bracketed-paste markers when the app asked for them,
      // -d deletes the named buffer once pasted. paste-buffer into a dead pane crashes the
      // tmux 3.3a server ("server exited unexpectedly"), so the paste is guarded inside the
      // server, atomically, by if-shell -F on #{pane_dead}.
      const paste = `paste-buffer -p ${pasteOpts.raw ? '-r ' : ''}-d -b ${buffer} -t ${pane}`;
      const args = chainArgs(
        ['load-buffer', '-b', buffer, '-'],
        ['if-shell', '-F', '-t', pane, '#{pane_dead}', `delete-buffer -b ${buffer} ; display-message -p ${DEAD_MARK}`, paste],
      );
      try {
        const out = await tmux(identity, args, text);
        if (out.includes(DEAD_MARK)) {
          throw new IapeerError('SESSION_NOT_LIVE', `the agent in session ${identity} has exited: nothing was pasted`, { data: { identity } });
        }
      } catch (err) {
        if ((err as IapeerError).code === 'SESSION_NOT_LIVE') throw err;
        await tmux(identity, ['delete-buffer', '-b', buffer]).catch(() => {
          // Best effort: the buffer may never have been created, or the server is gone with it.
        });
        throw err;
      }
    },

    async sendKeys(identity: string, keys: string[]): Promise<void> {
      if (keys.length === 0) return;
      await tmux(identity, chainArgs(['send-keys', '-t', paneOf(identity), ...keys]));
    },

    async kill(identity: string): Promise<void> {
      const sessions = await listSessions(identity);
      if (sessions === null) return removeSocket(identity);
      if (!sessions.includes(identity)) {
        if (sessions.length === 0) removeSocket(identity);
        return;
      }
      const pid = await runningPanePid(identity);
      if (sessions.some((s) => s !== identity)) {
        await tmux(identity, ['kill-session', '-t', `=${identity}`]);
      } else {
        try {
          await tmux(identity, ['kill-server']);
        } catch (err) {
          if (!isAbsentError(err)) throw err;
          // The server exited between list-sessions and kill-server: the outcome we wanted.
        }
        // kill-server leaves the socket file behind (docs/notes/stack.md).
        removeSocket(identity);
      }
      if (pid !== null) await reapPaneGroup(pid);
    },
  };
}

function withoutNestedTmux(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !STRIPPED_ENV.test(k)) out[k] = v;
  return out;
}

function toInt(s: string | undefined): number | null {
  if (s === undefined || s === '') return null;
  const n = Number.parseInt(s, 10);
  return Number.isFinite(n) ? n : null;
}

/** POSIX single-quoting for the one shell string tmux requires (the pipe-pane command). */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
