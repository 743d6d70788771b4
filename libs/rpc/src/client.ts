import net from 'node:net';
import { createTRPCClient, TRPCClientError, type TRPCClient, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import type { AnyRouter } from '@trpc/server';
import superjson from 'superjson';
import { LineSplitter, type RequestFrame, type ResponseFrame } from './ndjson';
import { IapeerError } from '@iapeer/core';
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

export interface RpcClient<TRouter extends AnyRouter> {
  client: TRPCClient<TRouter>;
  close(): void;
}

interface Pending {
  onFrame(frame: ResponseFrame): void;
  onLost(err: Error): void;
}

const BACKOFF_START_MS = 20;
const BACKOFF_CAP_MS = 250;

/** One persistent socket, multiplexed by frame id, reconnected on demand. */
class Connection {
  private socket: net.Socket | undefined;
  private connecting: Promise<net.Socket> | undefined;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  constructor(private readonly opts: Required<ConnectOptions>) {}

  register(id: number, p: Pending): void {
    this.pending.set(id, p);
  }

  unregister(id: number): void {
    this.pending.delete(id);
  }

  send(frame: RequestFrame): void {
    this.socket?.write(JSON.stringify(frame) + '\n');
  }

  async get(deadline: number): Promise<net.Socket> {
    if (this.socket && !this.socket.destroyed) return this.socket;
    let backoff = BACKOFF_START_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        this.connecting ??= this.open();
        return await this.connecting;
      } catch (err) {
        this.connecting = undefined;
        const code = (err as NodeJS.ErrnoException).code;
        const missing = code === 'ENOENT';
        if (this.closed || (missing && !this.opts.waitForMissing && attempt === 0) || Date.now() + backoff > deadline) {
          throw unavailableError(this.opts, err as Error);
        }
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, BACKOFF_CAP_MS);
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

let nextId = 1;

function socketLink<TRouter extends AnyRouter>(conn: Connection, opts: Required<ConnectOptions>): TRPCLink<TRouter> {
  return () =>
    ({ op }) =>
      observable((observer) => {
        const id = nextId++;
        const deadline = Date.now() + opts.retryMs;
        let finished = false;
        let sent = false;
        const finish = () => {
          finished = true;
          conn.unregister(id);
          conn.ref(conn.active > 0);
        };
        // Serialized once, up front: superjson refuses some inputs (a `__proto__` key), and a
        // throw inside the async attempt would leave the call pending forever (found by the
        // fuzzed-contracts suite). Such an input fails the call with a typed INVALID_INPUT.
        let frame: string;
        try {
          frame = JSON.stringify({ id, type: op.type, path: op.path, input: op.input === undefined ? undefined : superjson.serialize(op.input) }) + '\n';
        } catch (err) {
          observer.error(TRPCClientError.from(new IapeerError('INVALID_INPUT', `the input of ${op.path} cannot be sent (${(err as Error).message}); remove the offending key or value`, { cause: err })));
          return () => undefined;
        }
        const attempt = async () => {
          let socket: net.Socket;
          try {
            socket = await conn.get(deadline);
          } catch (err) {
            finish();
            observer.error(TRPCClientError.from(err as Error));
            return;
          }
          if (finished) return;
          conn.register(id, {
            onFrame(frame) {
              if ('error' in frame) {
                finish();
                observer.error(TRPCClientError.from({ error: superjson.deserialize(frame.error as any) } as any));
                return;
              }
              const result = frame.result;
              if (result.type === 'data') {
                observer.next({ result: { type: 'data', data: superjson.deserialize(result.data as any) } });
                if (op.type !== 'subscription') {
                  finish();
                  observer.complete();
                }
              } else if (result.type === 'started') {
                observer.next({ result: { type: 'started' } });
              } else {
                finish();
                observer.complete();
              }
            },
            onLost(err) {
              if (finished) return;
              // A query is safe to replay; a mutation may already have run, so it fails.
              if (op.type === 'query' && Date.now() < deadline) {
                void attempt();
                return;
              }
              finish();
              observer.error(TRPCClientError.from(unavailableError(opts, err, op.type === 'mutation')));
            },
          });
          conn.ref(true);
          sent = true;
          socket.write(frame);
        };
        void attempt();
        return () => {
          if (!finished && sent && op.type === 'subscription') conn.send({ id, type: 'stop' });
          if (!finished) finish();
        };
      });
}

/** A typed tRPC client of one service over its Unix socket. */
export function connect<TRouter extends AnyRouter>(options: ConnectOptions): RpcClient<TRouter> {
  const opts: Required<ConnectOptions> = { retryMs: 3000, waitForMissing: false, ...options };
  const conn = new Connection(opts);
  const client = createTRPCClient<TRouter>({ links: [socketLink<TRouter>(conn, opts)] });
  return { client, close: () => conn.close() };
}
