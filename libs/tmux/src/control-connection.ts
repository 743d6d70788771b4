import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import { IapeerError } from '@iapeer/core';
import { ControlParser, controlLine, type ControlEvent } from './control-parser';

/**
 * One persistent tmux control-mode client (`tmux -C attach`) on one identity's server:
 * commands go in on stdin, replies come back as %begin/%end blocks in order, pane output
 * as %output notifications. Opened by the driver on demand, closed by `kill` (or by the
 * server going away: the client prints %exit and ends).
 *
 * Attached with `-f no-output,ignore-size`: the client never changes the window size,
 * and it receives pane output only while someone listens (`onOutput`), so an idle
 * session's redraws cost nothing here. (`refresh-client -A %0:off` is NOT used: when
 * every client has a pane off, tmux stops reading the pane, and pipe-pane with it.)
 */
export type ConnectionState = 'opening' | 'open' | 'closed';

/** What the connection knows about its session without asking tmux. */
export type KnownLiveness = 'running' | 'dead' | 'gone' | 'unknown';

export interface ControlInfo {
  serverPid: number;
  panePid: number | null;
  paneId: string;
  paneDead: boolean;
}

interface Pending {
  marker: string;
  lines: string[];
  errors: string[];
  resolve: (out: string) => void;
  reject: (err: Error) => void;
}

let markerSeq = 0;
/** How long an attach may take before the caller gives up on it. */
const OPEN_TIMEOUT_MS = 5000;
/** How long pane output keeps flowing after the last listener left. */
const OUTPUT_LINGER_MS = 2000;

export interface ControlConnectionOptions {
  tmuxBin: string;
  socket: string;
  identity: string;
  env: NodeJS.ProcessEnv;
}

export class ControlConnection {
  state: ConnectionState = 'opening';
  /** Why it closed (tmux's %exit reason or the process's exit). */
  closeReason = '';
  info: ControlInfo | null = null;
  /** The attached session ended while the server lives on (the client switched away). */
  private sessionGone = false;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly parser = new ControlParser();
  private readonly pending: Pending[] = [];
  private readonly listeners = new Set<(data: Buffer) => void>();
  private markClosed!: () => void;
  /** Resolves once the client has exited and every pending call is settled. */
  readonly closed = new Promise<void>((resolve) => (this.markClosed = resolve));
  private attachError = '';
  private probes: { server: PidProbe; pane: PidProbe | null } | null = null;
  private stderr = '';
  private outputOffTimer: NodeJS.Timeout | null = null;
  readonly ready: Promise<void>;

  constructor(private readonly opts: ControlConnectionOptions) {
    // -f /dev/null: the user's ~/.tmux.conf never changes our clients; -u: UTF-8 replies.
    this.child = spawn(opts.tmuxBin, ['-u', '-f', '/dev/null', '-S', opts.socket, '-C', 'attach-session', '-f', 'no-output,ignore-size', '-t', `=${opts.identity}`], {
      env: opts.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.setEncoding('utf8').on('data', (s: string) => (this.stderr = (this.stderr + s).slice(-2000)));
    this.child.stdin.on('error', () => undefined); // EPIPE after the client died: 'close' reports it
    this.child.on('error', (err) => this.finish(`tmux control client failed to start: ${err.message}`));
    this.child.on('close', (code, sig) => this.finish(this.closeReason || `tmux control client exited (${sig ?? code})${this.attachError ? `: ${this.attachError}` : ''}${this.stderr ? `: ${this.stderr.trim()}` : ''}`));
    this.idle();
    const pane = `=${opts.identity}:0.0`;
    // an attach that neither answers nor exits (a wedged server) must not hold a caller:
    // past the bound the client is killed and the caller takes the spawn path
    const openTimer = setTimeout(() => {
      if (this.state !== 'opening') return;
      this.closeReason = `tmux control client did not answer within ${OPEN_TIMEOUT_MS} ms`;
      this.child.kill('SIGKILL');
    }, OPEN_TIMEOUT_MS);
    openTimer.unref();
    this.ready = this.request([controlLine(['display-message', '-p', '-t', pane, '#{pid} #{pane_id} #{pane_pid} #{pane_dead}'])]).then(
      (out) => {
        const [server, paneId, panePid, dead] = out.trim().split(' ');
        this.info = { serverPid: Number(server), paneId, panePid: panePid ? Number(panePid) : null, paneDead: dead === '1' };
        this.probes = { server: new PidProbe(this.info.serverPid), pane: this.info.panePid === null ? null : new PidProbe(this.info.panePid) };
        clearTimeout(openTimer);
        if (this.state === 'opening') this.state = 'open';
      },
      (err) => {
        clearTimeout(openTimer);
        this.close();
        throw err;
      },
    );
  }

  /**
   * Sends command lines and resolves with the output of all their blocks once a marker
   * line (its own command group, so it runs even when a command before it fails) comes
   * back. Rejects with TMUX_FAILED carrying tmux's error text as `data.stderr` when any
   * block failed, or with `data.connectionLost` when the client went away first.
   */
  request(lines: string[]): Promise<string> {
    if (this.state === 'closed') return Promise.reject(this.lostError(false));
    const marker = `iap-mark-${process.pid}-${++markerSeq}`;
    return new Promise<string>((resolve, reject) => {
      this.pending.push({ marker, lines: [], errors: [], resolve, reject });
      this.busy();
      this.child.stdin.write(`${lines.join('\n')}\ndisplay-message -p ${marker}\n`);
    });
  }

  /**
   * Calls `listener` with every byte the pane prints from now on; returns the
   * unsubscribe. The first listener turns output on (`refresh-client -f !no-output`),
   * written before anything the caller sends next, so no output of it is missed.
   */
  onOutput(listener: (data: Buffer) => void): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) {
      if (this.outputOffTimer) clearTimeout(this.outputOffTimer);
      else this.outputOn();
      this.outputOffTimer = null;
      this.busy(); // someone awaits this output: the process must not exit under them
    }
    return () => {
      if (!this.listeners.delete(listener)) return;
      if (this.listeners.size === 0) {
        // output stays on a little while: back-to-back deliveries skip two commands each
        this.armOutputOff();
        if (this.pending.length === 0) this.idle();
      }
    };
  }

  /** Liveness from state alone: the client's own state, the session switch, and two pid checks. */
  liveness(): KnownLiveness {
    if (this.state !== 'open' || !this.info || !this.probes) return 'unknown';
    if (this.sessionGone) return 'gone';
    // a server killed under us: the client's %exit is on its way, let the caller ask tmux
    if (!this.probes.server.alive()) return 'unknown';
    if (this.info.paneDead || !this.probes.pane?.alive()) return 'dead';
    return 'running';
  }

  /** Ends the client (stdin EOF makes it detach and exit); resolves once it has. */
  close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      this.finish(this.closeReason || 'closed');
      return Promise.resolve();
    }
    this.busy(); // the caller awaits the exit: keep the process up until it comes
    this.child.stdin.end();
    const t = setTimeout(() => this.child.kill('SIGKILL'), 1000);
    t.unref();
    return this.closed.finally(() => clearTimeout(t));
  }

  /**
   * Output is turned off by closing the client (the pool opens a fresh one, attached with
   * no-output, on the next call), never by `refresh-client -f no-output`: tmux 3.3a drops
   * its per-pane output queues on that flag but leaves their blocks in the client's write
   * queue, so every later reply waits behind output that is never sent and the connection
   * hangs for good. A pane that printed faster than we read (a 50 MB flood) always has
   * such blocks queued (found by the pane-log flood e2e: a kill after it never returned).
   * A client with a request in flight is left open until the next linger.
   */
  private armOutputOff(): void {
    this.outputOffTimer = setTimeout(() => {
      this.outputOffTimer = null;
      if (this.listeners.size > 0) return;
      if (this.pending.length > 0) return this.armOutputOff();
      void this.close();
    }, OUTPUT_LINGER_MS);
    this.outputOffTimer.unref();
  }

  private outputOn(): void {
    if (this.state === 'closed') return;
    this.request([controlLine(['refresh-client', '-f', '!no-output'])]).catch(() => undefined); // a closed client has no output to toggle
  }


  private onData(chunk: Buffer): void {
    for (const ev of this.parser.push(chunk)) this.onEvent(ev);
  }

  private onEvent(ev: ControlEvent): void {
    if (ev.kind === 'output') {
      if (this.info && ev.pane !== this.info.paneId) return;
      for (const l of [...this.listeners]) l(ev.data);
      return;
    }
    if (ev.kind === 'exit') {
      this.closeReason = `tmux control client exited${ev.reason ? `: ${ev.reason}` : ''}${this.attachError ? `: ${this.attachError}` : ''}`;
      return; // the process 'close' follows and settles everything
    }
    if (ev.kind === 'notification') {
      // the session we attached to ended and the client moved to another one
      if (ev.name === 'session-changed' && this.info && !ev.args.endsWith(` ${this.opts.identity}`)) this.sessionGone = true;
      return;
    }
    if (ev.flags !== '1') {
      // the attach command's own reply: its error ("can't find session: …") says why we close
      if (!ev.ok) this.attachError = ev.lines.join('; ');
      return;
    }
    const head = this.pending[0];
    if (!head) return;
    if (ev.ok && ev.lines.length === 1 && ev.lines[0] === head.marker) {
      this.pending.shift();
      if (this.pending.length === 0 && this.listeners.size === 0) this.idle();
      if (head.errors.length > 0) head.reject(this.commandError(head.errors.join('\n')));
      else head.resolve(head.lines.length > 0 ? `${head.lines.join('\n')}\n` : '');
      return;
    }
    if (ev.ok) head.lines.push(...ev.lines);
    else head.errors.push(...ev.lines);
  }

  private finish(reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closeReason = reason;
    this.listeners.clear();
    this.probes?.server.close();
    this.probes?.pane?.close();
    if (this.outputOffTimer) clearTimeout(this.outputOffTimer);
    const err = this.lostError(true);
    for (const p of this.pending.splice(0)) p.reject(err);
    this.idle();
    this.markClosed();
  }

  private commandError(stderr: string): IapeerError {
    return new IapeerError('TMUX_FAILED', `tmux command failed: ${stderr} (socket ${this.opts.socket}, control connection)`, { data: { stderr, args: [], exitCode: null } });
  }

  /** `written`: the command may have reached tmux (never retry a paste or a key then). */
  private lostError(written: boolean): IapeerError {
    const why = this.closeReason || 'closed';
    return new IapeerError('TMUX_FAILED', `tmux control connection to ${this.opts.identity} lost: ${why} (socket ${this.opts.socket})`, {
      data: { stderr: `control connection lost: ${why}${this.stderr ? `; ${this.stderr.trim()}` : ''}`, args: [], exitCode: null, connectionLost: true, written },
    });
  }

  // An idle connection must not keep a process (a CLI, a test worker) alive; one with a
  // reply outstanding must, or `await`ing it could end the process mid-call.
  private busy(): void {
    this.child.ref();
    for (const s of this.pipes()) s?.ref?.();
  }

  private idle(): void {
    this.child.unref();
    for (const s of this.pipes()) s?.unref?.();
  }

  /** The child's pipes are net.Sockets underneath; their stream types do not declare ref/unref. */
  private pipes(): Array<RefCounted | null> {
    return [this.child.stdout, this.child.stderr, this.child.stdin] as unknown as Array<RefCounted | null>;
  }
}

/** What keeps the event loop alive: a pipe's underlying handle. */
interface RefCounted {
  ref?(): void;
  unref?(): void;
}

/**
 * A pid is alive when it exists and is not a zombie (a killed tmux server may stay a
 * zombie for a while when its reaper is slow). Linux reads /proc; elsewhere signal 0.
 */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (process.platform === 'linux') {
    try {
      return runningState(fs.readFileSync(`/proc/${pid}/stat`, 'latin1'));
    } catch {
      return false;
    }
  }
  return signalZero(pid);
}

/**
 * The same check, repeated cheaply: on Linux it keeps `/proc/<pid>/stat` open and
 * re-reads it with one pread (a third of a readFile; a reaped pid answers ESRCH), so
 * a liveness check per send or per tick costs two syscalls and no process.
 */
export class PidProbe {
  private fd: number | null = null;
  private gone = false;
  private readonly buf = Buffer.alloc(512);

  constructor(private readonly pid: number) {
    if (!Number.isInteger(pid) || pid <= 0) this.gone = true;
    else if (process.platform === 'linux') {
      try {
        this.fd = fs.openSync(`/proc/${pid}/stat`, 'r');
      } catch {
        this.gone = true;
      }
    }
  }

  alive(): boolean {
    if (this.gone) return false;
    if (this.fd === null) return signalZero(this.pid);
    try {
      const n = fs.readSync(this.fd, this.buf, 0, this.buf.length, 0);
      if (runningState(this.buf.toString('latin1', 0, n))) return true;
    } catch {
      // ESRCH: reaped
    }
    this.close();
    this.gone = true; // a pid that died stays dead for this probe (never a recycled one)
    return false;
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

function runningState(stat: string): boolean {
  const i = stat.lastIndexOf(')');
  const state = stat.slice(i + 2, i + 3);
  return state !== '' && state !== 'Z' && state !== 'X';
}

function signalZero(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The call failed because the control client went away (`written`: after its command was sent). */
export function lostConnection(err: unknown): { written: boolean } | null {
  const data = (err as { data?: { connectionLost?: boolean; written?: boolean } })?.data;
  return data?.connectionLost ? { written: Boolean(data.written) } : null;
}
