import fs from 'node:fs';
import path from 'node:path';
import { IapeerError, loadConfig, parseIdentity } from '@iapeer/core';
import type { GoneClass, PaneObservation, PaneState, PasteOptions, SpawnSpec, TmuxDriver } from './driver';
import { lostConnection } from './control-connection';
import { controlLine } from './control-parser';
import { ControlPool, type ControlFallback, type ControlStats } from './control-pool';
import { chainArgs, createExecRunner, isAbsentError, isServerDeadError, type TmuxRunner } from './run-tmux';
import { assertSocketPathFits, identityOfSocketName, tmuxSocketPath } from './socket-path';
import { parsePaneState, withoutNestedTmux, withoutTmuxMarkers } from './pane-format';
import { createPaneGroup } from './process-group';
import { PANE_DIED_HOOK, exitRecordCommand, exitSpoolOf, findScriptsDir, paneLogCommand, requireScriptsDir } from './tmux-scripts';

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
  /** How long `kill` lets the agent exit on SIGTERM before its process group gets SIGKILL. @default 400 */
  killGraceMs?: number;
  /**
   * Talk to each live server over one persistent control-mode client (`tmux -C`) instead
   * of spawning tmux per command. @default true
   */
  control?: boolean;
  /** Told about every call that had to spawn tmux because its control connection broke. */
  onFallback?: (f: ControlFallback) => void;
  /** Pane-log rotation. @default IAPEER_PANE_LOG_MAX_BYTES / IAPEER_PANE_LOG_KEEP of baseEnv (10 MiB, 2) */
  paneLog?: { maxBytes: number; keep: number };
  /** Where pane-log-writer.sh and exit-record.cjs are. @default dist/tmux/ or libs/tmux/scripts/, found from this file */
  scriptsDir?: string;
  /** The node binary tmux runs the scripts with. @default process.execPath */
  node?: string;
}

/** What the driver adds to the port. */
export interface TmuxDriverExtras {
  socketOf(identity: string): string;
  inspect(identity: string): Promise<PaneState>;
  /** Control connections opened / open / fallbacks to the spawn path. */
  controlStats(): ControlStats;
  /** The screen and the human clients, in one round trip (TmuxDriver.observe, always there). */
  observe(identity: string): Promise<PaneObservation>;
  /** The pane's output as it happens; null when no control connection can be had. */
  onOutput(identity: string, listener: (data: Buffer) => void): Promise<(() => void) | null>;
  /** Closes every control connection (service stop). */
  close(): Promise<void>;
}

/** Variables a nested tmux or a parent agent leaves behind that must not leak into a peer. */

let bufferSeq = 0;
const DEAD_MARK = 'iap-pane-dead';
const OBSERVE_SEP = 'iap-observe-clients';

/** The real tmux driver: one server per identity, session name = identity, one pane. */
export function createTmuxDriver(opts: TmuxDriverOptions): TmuxDriver & TmuxDriverExtras {
  const baseEnv = withoutNestedTmux(opts.baseEnv ?? process.env);
  const tmuxBin = opts.tmuxBin ?? 'tmux';
  const run = opts.run ?? createExecRunner(tmuxBin, baseEnv);
  const platform = opts.platform ?? process.platform;
  const paneLogCfg = opts.paneLog ?? (({ paneLogMaxBytes, paneLogKeep }) => ({ maxBytes: paneLogMaxBytes, keep: paneLogKeep }))(loadConfig(opts.baseEnv ?? process.env));
  const scriptsDir = opts.scriptsDir ?? findScriptsDir();
  const node = opts.node ?? process.execPath;
  // a test runner seam (`run`) means no real tmux: no control connections either
  const pool = opts.control === false || opts.run ? null : new ControlPool((identity) => ({ tmuxBin, socket: socketOf(identity), env: baseEnv }), opts.onFallback ?? (() => undefined));

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

  /**
   * Runs a chain of commands over the identity's control connection when one can be had,
   * else (no server, the attach failed) as one spawned tmux. A connection lost under the
   * call retries it on the spawn path when that is safe (`idempotent`, or nothing was
   * written yet); a key or a paste that may have reached tmux is never sent twice.
   */
  async function command(identity: string, op: string, commands: string[][], idempotent: boolean): Promise<string> {
    const conn = pool ? await pool.get(identity, op) : null;
    if (conn) {
      try {
        return await conn.request([controlLine(...commands)]);
      } catch (err) {
        const lost = lostConnection(err);
        if (!lost) throw err;
        if (lost.written && !idempotent) throw await lostMidCall(identity, op, err);
        pool!.fallback(identity, op, (err as Error).message);
      }
    }
    return tmux(identity, chainArgs(...commands));
  }

  /** A key or paste whose connection died with it: say what the spawn path sees now. */
  async function lostMidCall(identity: string, op: string, err: unknown): Promise<IapeerError> {
    pool?.fallback(identity, op, `${(err as Error).message}; checking the session by spawning tmux`);
    const st = await inspectBySpawn(identity).catch(() => null);
    if (st && st.state !== 'running') {
      return new IapeerError('SESSION_NOT_LIVE', `session ${identity} ended during ${op} (${st.state === 'dead' ? 'the agent exited' : st.gone}): its tmux control connection closed`, { data: { identity } });
    }
    return err as IapeerError;
  }

  const PANE_FORMAT = '#{pane_dead} #{pane_dead_status} #{pane_dead_signal} #{pane_pid}';
  const paneQuery = (identity: string) => ['display-message', '-p', '-t', paneOf(identity), PANE_FORMAT];

  async function inspect(identity: string): Promise<PaneState> {
    return readPaneState(identity, (reap) => command(identity, 'inspect', [...reap, paneQuery(identity)], true));
  }

  function inspectBySpawn(identity: string): Promise<PaneState> {
    return readPaneState(identity, (reap) => tmux(identity, chainArgs(...reap, paneQuery(identity))));
  }

  /**
   * tmux marks a pane dead on its pty's EOF and records the status when it reaps the child
   * on SIGCHLD. Debian's tmux 3.3a (built with libutempter) runs the utempter helper on
   * that EOF with SIGCHLD set to SIG_DFL while it waits for it: an agent whose SIGCHLD lands
   * in that window (~1 in 5 exits here, strace: `rt_sigaction(SIGCHLD, SIG_DFL)`, clone,
   * `wait4(helper)`, the pane's SIGCHLD) is discarded, and the pane stays dead with no
   * status, its process a zombie, until some other child of the server exits. A dead pane
   * without a status is therefore asked again behind `run-shell true`: its job's SIGCHLD
   * makes the server reap every zombie (waitpid(WAIT_ANY) in a loop), and the command
   * queue runs the query only once the job has been reaped. Dead panes only: never on a
   * live check.
   */
  const REAP = [['run-shell', 'true']];

  async function readPaneState(identity: string, ask: (reap: string[][]) => Promise<string>): Promise<PaneState> {
    try {
      let st = parsePaneState(await ask([]));
      if (st.state === 'dead' && st.exitStatus === null && st.exitSignal === null) st = parsePaneState(await ask(REAP));
      return st;
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
    const args = ['list-sessions', '-F', '#{session_name}'];
    // over an open connection when there is one (a kill then spawns tmux once, for kill-server);
    // a connection broken by the server's death says nothing of the server: ask it directly
    if (pool?.peek(identity)) {
      try {
        return (await command(identity, 'listSessions', [args], true)).split('\n').filter(Boolean);
      } catch {
        // fall through to the spawn path, whose answer (absent or not) is the truth
      }
    }
    try {
      return (await tmux(identity, args)).split('\n').filter(Boolean);
    } catch (err) {
      if (isAbsentError(err)) return null;
      throw err;
    }
  }

  function removeSocket(identity: string): void {
    fs.rmSync(socketOf(identity), { force: true });
  }

  const paneGroup = createPaneGroup({ signal: opts.signal, graceMs: opts.killGraceMs });

  /** The pid of a running pane (null when absent, dead, or unreadable). */
  async function runningPanePid(identity: string): Promise<number | null> {
    try {
      // over an open connection when there is one; never open one just to end the session
      const st = pool?.peek(identity) ? await inspect(identity) : await inspectBySpawn(identity);
      return st.state === 'running' ? st.pid : null;
    } catch {
      return null; // best-effort: the kill itself still runs and reports tmux's errors
    }
  }

  return {
    socketOf,
    inspect,
    classifyGone,
    controlStats: () => ({ ...(pool?.stats ?? { opened: 0, open: 0, fallbacks: 0 }) }),
    close: async () => pool?.closeAll(),

    async onOutput(identity: string, listener: (data: Buffer) => void): Promise<(() => void) | null> {
      const conn = pool ? await pool.get(identity, 'onOutput') : null;
      return conn ? conn.onOutput(listener) : null;
    },

    async spawn(spec: SpawnSpec): Promise<void> {
      const id = parseIdentity(spec.identity);
      if (!id) throw new IapeerError('INVALID_INPUT', `cannot spawn "${spec.identity}": not an identity <runtime>-<personality>`, { data: { identity: spec.identity } });
      if (spec.argv.length === 0) throw new IapeerError('INVALID_INPUT', `cannot spawn ${spec.identity}: argv is empty (argv[0] must be the program)`);
      const socket = socketOf(spec.identity);
      fs.mkdirSync(path.dirname(socket), { recursive: true, mode: 0o700 });
      fs.mkdirSync(path.dirname(spec.paneLog), { recursive: true, mode: 0o700 });
      // the pane shows everything the agent sees: the log is created private before the
      // writer opens it (an existing one keeps growing, up to its rotation)
      fs.closeSync(fs.openSync(spec.paneLog, 'a', 0o600));
      fs.chmodSync(spec.paneLog, 0o600);
      // The identity ABI is written last so nothing in spec.env can override it (§2.1).
      const abi = { PEER_PERSONALITY: id.personality, PEER_RUNTIME: id.runtime, PEER_IDENTITY: spec.identity };
      const env: NodeJS.ProcessEnv = { ...withoutTmuxMarkers(spec.env), ...abi };
      const abiFlags = Object.entries(abi).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
      // One invocation: the server starts with this env (its global environment), remain-on-exit
      // is on before the program runs (a crash leaves a dead pane, seen as #{pane_dead}), and
      // pipe-pane is attached before the server reads any output from the pane.
      // The pane-died hook is set before the program runs too: every death leaves a record
      // in the exit spool (exits.log), whenever it happens. pipe-pane feeds the rotating
      // writer, so the log stays within paneLog.maxBytes × (keep + 1).
      const scripts = requireScriptsDir(scriptsDir);
      const exitCmd = exitRecordCommand({ node, scriptsDir: scripts, tmuxBin, spool: exitSpoolOf(spec.paneLog, spec.identity), identity: spec.identity, socket });
      const args = chainArgs(
        ['start-server'],
        ['set-option', '-g', 'remain-on-exit', 'on'],
        ['set-option', '-g', '@iap_exit_cmd', exitCmd],
        ['set-hook', '-g', 'pane-died', PANE_DIED_HOOK],
        ['new-session', '-d', '-s', spec.identity, '-x', String(spec.width ?? 220), '-y', String(spec.height ?? 50), '-c', spec.cwd, ...abiFlags, '--', ...spec.argv],
        ['pipe-pane', '-t', paneOf(spec.identity), paneLogCommand(scripts, spec.paneLog, paneLogCfg.maxBytes, paneLogCfg.keep)],
      );
      await run(socket, args, { env });
    },

    async isAlive(identity: string): Promise<boolean> {
      if (pool) {
        // no spawn for a live session: the connection's state plus two pid checks
        const known = (pool.peek(identity) ?? (fs.existsSync(socketOf(identity)) ? await pool.get(identity, 'isAlive') : null))?.liveness();
        if (known === 'running') return true;
        if (known === 'dead' || known === 'gone') return false;
        if (!fs.existsSync(socketOf(identity))) return false; // no server to ask
      }
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
          const known = pool?.peek(identity)?.liveness();
          if (known === 'running') return identity;
          if (known === 'dead' || known === 'gone') return null;
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
      return command(identity, 'capture', [['capture-pane', '-p', '-t', paneOf(identity), ...history]], true);
    },

    async observe(identity: string): Promise<PaneObservation> {
      // one request: the screen, a separator line, then one row per attached client
      const out = await command(
        identity,
        'observe',
        [['capture-pane', '-p', '-t', paneOf(identity)], ['display-message', '-p', OBSERVE_SEP], ['list-clients', '-t', `=${identity}`, '-F', '#{client_control_mode}']],
        true,
      );
      const at = out.lastIndexOf(`${OBSERVE_SEP}\n`);
      const screen = at < 0 ? out : out.slice(0, at);
      const clients = at < 0 ? [] : out.slice(at + OBSERVE_SEP.length + 1).split('\n');
      return { screen, humans: clients.filter((c) => c.trim() === '0').length };
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
      const guarded = ['if-shell', '-F', '-t', pane, '#{pane_dead}', `delete-buffer -b ${buffer} ; display-message -p ${DEAD_MARK}`, paste];
      const conn = pool ? await pool.get(identity, 'paste') : null;
      if (conn) {
        // over the control connection the body cannot come from stdin: set-buffer takes it
        // as one double-quoted argument (escaped by quoteControlArg; byte-exact for quotes,
        // `;`, unicode, newlines and 16 000+ characters), in the same command group as the
        // guarded paste, so a failed set-buffer pastes nothing
        try {
          const out = await conn.request([controlLine(['set-buffer', '-b', buffer, text], guarded)]);
          if (out.includes(DEAD_MARK)) throw new IapeerError('SESSION_NOT_LIVE', `the agent in session ${identity} has exited: nothing was pasted`, { data: { identity } });
          return;
        } catch (err) {
          if ((err as IapeerError).code === 'SESSION_NOT_LIVE') throw err;
          const lost = lostConnection(err);
          if (lost?.written) throw await lostMidCall(identity, 'paste', err);
          if (!lost) {
            await command(identity, 'paste', [['delete-buffer', '-b', buffer]], true).catch(() => undefined); // best effort, as below
            throw err;
          }
          pool!.fallback(identity, 'paste', (err as Error).message);
        }
      }
      const args = chainArgs(
        ['load-buffer', '-b', buffer, '-'],
        guarded,
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
      await command(identity, 'sendKeys', [['send-keys', '-t', paneOf(identity), ...keys]], false);
    },

    async kill(identity: string): Promise<void> {
      const sessions = await listSessions(identity);
      if (sessions === null) return removeSocket(identity);
      if (!sessions.includes(identity)) {
        if (sessions.length === 0) removeSocket(identity);
        return;
      }
      const pid = await runningPanePid(identity);
      if (pid !== null) {
        // a death iapeer causes is not an exit to record (lifecycle.log says why it killed)
        await command(identity, 'kill', [['set-hook', '-gu', 'pane-died']], true).catch(() => undefined);
        await paneGroup.end(pid);
      }
      // our own client detaches first: the kill is not a broken connection
      await pool?.close(identity);
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
      if (pid !== null) await paneGroup.waitGone(pid);
    },
  };
}
