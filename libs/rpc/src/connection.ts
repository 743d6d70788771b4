import net from 'node:net';
import { createBackoff } from '@iapeer/core';
import { LineSplitter, MAX_ANSWER_FRAME_CHARS, MAX_CALL_FRAME_CHARS, parseResponseLine, readFrameId, type RequestFrame, type ResponseFrame } from './ndjson';
import { badFrameError, clientClosedError, unavailableError } from './errors';

export interface ConnectOptions {
  /** The service's name, used in error messages ("registry is not running…"). */
  service: string;
  socketPath: string;
  /**
   * How long a call keeps retrying while the service restarts (socket refuses,
   * connection lost mid-query). Mutations are never replayed after a lost connection.
   * @default 3000
   */
  retryMs?: number;
  /**
   * Also wait (within retryMs) when the socket file does not exist. Off for the CLI,
   * so a stopped service fails fast; on for service-to-service clients, so a service
   * that starts before its dependency waits for it.
   * @default false
   */
  waitForMissing?: boolean;
  /** The longest call this client sends, in characters (ndjson.ts). @default MAX_CALL_FRAME_CHARS */
  maxCallChars?: number;
  /** The longest answer this client reads, in characters (ndjson.ts). @default MAX_ANSWER_FRAME_CHARS */
  maxAnswerChars?: number;
}

export const CONNECT_DEFAULTS = {
  retryMs: 3000,
  waitForMissing: false,
  maxCallChars: MAX_CALL_FRAME_CHARS,
  maxAnswerChars: MAX_ANSWER_FRAME_CHARS,
} satisfies Partial<ConnectOptions>;

export interface Pending {
  onFrame(frame: ResponseFrame): void;
  /** The connection went away: a query may be replayed, a mutation fails. */
  onLost(err: Error): void;
  /** The answer could not be read (BAD_FRAME): the call fails, never replayed. */
  onBroken(err: Error): void;
}

/** Reconnect pacing while a service restarts: 20, 40, 80, 160, 250, 250… ms. */
const RECONNECT_BACKOFF = { startMs: 20, capMs: 250 };

/** One persistent socket, multiplexed by frame id, reconnected on demand. */
export class Connection {
  private socket: net.Socket | undefined;
  private connecting: Promise<net.Socket> | undefined;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  constructor(readonly opts: Required<ConnectOptions>) {}

  register(id: number, p: Pending): void {
    this.pending.set(id, p);
  }

  unregister(id: number): void {
    this.pending.delete(id);
  }

  send(frame: RequestFrame): void {
    this.socket?.write(JSON.stringify(frame) + '\n');
  }

  /** The connected socket, if there is one right now (the synchronous fast path of a call). */
  current(): net.Socket | undefined {
    return this.socket && !this.socket.destroyed ? this.socket : undefined;
  }

  async get(deadline: number): Promise<net.Socket> {
    // a closed client opens nothing again: a call started or replayed after close() fails
    if (this.closed) throw clientClosedError(this.opts);
    const live = this.current();
    if (live) return live;
    const backoff = createBackoff(RECONNECT_BACKOFF);
    for (let attempt = 0; ; attempt++) {
      try {
        this.connecting ??= this.open();
        return await this.connecting;
      } catch (err) {
        this.connecting = undefined;
        if (this.closed) throw clientClosedError(this.opts);
        const code = (err as NodeJS.ErrnoException).code;
        const missing = code === 'ENOENT';
        const delay = backoff.next();
        if (this.closed || (missing && !this.opts.waitForMissing && attempt === 0) || Date.now() + delay > deadline) {
          throw unavailableError(this.opts, err as Error);
        }
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private open(): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(this.opts.socketPath);
      socket.setEncoding('utf8');
      const maxAnswerChars = this.opts.maxAnswerChars;
      const splitter = new LineSplitter(maxAnswerChars, (prefix) => {
        const id = readFrameId(prefix);
        const err = badFrameError(`the ${this.opts.service} service answered with a frame longer than ${maxAnswerChars} characters`, { service: this.opts.service });
        if (id === undefined) this.breakConnection(socket, err);
        else this.failOne(id, err);
      });
      socket.once('connect', () => {
        if (this.closed) {
          // closed while connecting: the waiting calls fail (get() answers CLIENT_CLOSED)
          socket.destroy();
          reject(clientClosedError(this.opts));
          return;
        }
        this.socket = socket;
        this.connecting = undefined;
        // an idle persistent socket must not keep a CLI process alive; calls ref it
        socket.unref();
        socket.off('error', reject);
        socket.on('error', () => {
          /* 'close' follows and fails the pending calls */
        });
        resolve(socket);
      });
      socket.once('error', reject);
      socket.on('data', (chunk: string) => {
        for (const line of splitter.push(chunk)) {
          if (socket.destroyed) return;
          const parsed = parseResponseLine(line);
          if (parsed.kind === 'garbage') {
            // no id to blame: nothing more on this stream can be trusted
            this.breakConnection(socket, badFrameError(`the ${this.opts.service} service sent a line that is not a frame (${parsed.reason})`, { service: this.opts.service }));
            return;
          }
          if (parsed.kind === 'malformed') {
            this.failOne(parsed.id, badFrameError(`the ${this.opts.service} service answered call ${parsed.id} with a malformed frame (${parsed.reason})`, { service: this.opts.service }));
            continue;
          }
          const p = this.pending.get(parsed.frame.id);
          if (!p) continue;
          try {
            p.onFrame(parsed.frame);
          } catch (err) {
            // an answer that cannot be decoded fails its own call, not the process
            p.onBroken(badFrameError(`could not decode the ${this.opts.service} service's answer to call ${parsed.frame.id} (${(err as Error).message})`, { service: this.opts.service }));
          }
        }
      });
      socket.on('close', () => {
        if (this.socket === socket) this.socket = undefined;
        const lost = new Error(`connection to ${this.opts.socketPath} closed`);
        for (const [id, p] of [...this.pending]) {
          this.pending.delete(id);
          p.onLost(lost);
        }
      });
    });
  }

  /** Fails one call with a typed error; the connection goes on. */
  private failOne(id: number, err: Error): void {
    const p = this.pending.get(id);
    if (p) p.onBroken(err);
  }

  /** Fails every call in flight on this socket with `err` (not replayed) and drops it. */
  private breakConnection(socket: net.Socket, err: Error): void {
    for (const [id, p] of [...this.pending]) {
      this.pending.delete(id);
      p.onBroken(err);
    }
    if (this.socket === socket) this.socket = undefined;
    socket.destroy();
  }

  /**
   * Closes the socket and fails every call in flight with CLIENT_CLOSED, right now: a
   * query is not replayed (that would open a new socket behind the owner's back) and no
   * call is left pending forever.
   */
  close(): void {
    this.closed = true;
    const err = clientClosedError(this.opts);
    for (const [id, p] of [...this.pending]) {
      this.pending.delete(id);
      p.onBroken(err);
    }
    this.socket?.destroy();
    this.socket = undefined;
  }

  ref(active: boolean): void {
    if (active) this.socket?.ref();
    else this.socket?.unref();
  }

  get active(): number {
    return this.pending.size;
  }
}
