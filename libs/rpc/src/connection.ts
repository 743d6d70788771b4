import net from 'node:net';
import { createBackoff } from '@iapeer/core';
import { LineSplitter, type RequestFrame, type ResponseFrame } from './ndjson';
import { unavailableError } from './errors';

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
}

export interface Pending {
  onFrame(frame: ResponseFrame): void;
  onLost(err: Error): void;
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
    const live = this.current();
    if (live) return live;
    const backoff = createBackoff(RECONNECT_BACKOFF);
    for (let attempt = 0; ; attempt++) {
      try {
        this.connecting ??= this.open();
        return await this.connecting;
      } catch (err) {
        this.connecting = undefined;
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
      const splitter = new LineSplitter();
      socket.once('connect', () => {
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
          const frame = JSON.parse(line) as ResponseFrame;
          this.pending.get(frame.id)?.onFrame(frame);
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

  close(): void {
    this.closed = true;
    this.socket?.destroy();
  }

  ref(active: boolean): void {
    if (active) this.socket?.ref();
    else this.socket?.unref();
  }

  get active(): number {
    return this.pending.size;
  }
}
