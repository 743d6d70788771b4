import { createTRPCClientProxy, TRPCClientError, TRPCUntypedClient, type TRPCClient, type TRPCLink, type TRPCRequestOptions } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import type { AnyRouter } from '@trpc/server';
import superjson, { type SuperJSONResult } from 'superjson';
import { startCall } from './call';
import { CONNECT_DEFAULTS, Connection, type ConnectOptions } from './connection';
import type { ResponseFrame } from './ndjson';

export type { ConnectOptions };

export interface RpcClient<TRouter extends AnyRouter> {
  client: TRPCClient<TRouter>;
  close(): void;
}

/** Frames carry superjson's `{ json, meta }` envelope (the server's transformer wrote it). */
const decode = (wire: unknown): unknown => superjson.deserialize(wire as SuperJSONResult);

// TRPCClientError.from reads a `{ error: shape }` response envelope (TRPCErrorResponse)
const errorOf = (frame: ResponseFrame & { error: unknown }) => TRPCClientError.from({ error: decode(frame.error) });

/** The terminating link: subscriptions stream through it (started, data…, stopped). */
function socketLink<TRouter extends AnyRouter>(conn: Connection): TRPCLink<TRouter> {
  return () =>
    ({ op }) =>
      observable((observer) => {
        const call = startCall(conn, op, {
          onFrame(frame, done) {
            // decode first: a frame that cannot be decoded throws before the call is done,
            // so the connection can still fail it (BAD_FRAME)
            if ('error' in frame) {
              const err = errorOf(frame);
              done();
              observer.error(err);
              return;
            }
            const result = frame.result;
            if (result.type === 'data') {
              observer.next({ result: { type: 'data', data: decode(result.data) } });
              if (op.type !== 'subscription') {
                done();
                observer.complete();
              }
            } else if (result.type === 'started') {
              observer.next({ result: { type: 'started' } });
            } else {
              done();
              observer.complete();
            }
          },
          onFailed(err) {
            observer.error(TRPCClientError.from(err));
          },
        });
        return () => call.cancel();
      });
}

/**
 * Queries and mutations skip tRPC's observable chain: the stock path builds a link
 * chain, a `share()`d observable and an AbortController it aborts on completion for
 * every call (~10 µs hot, a DOMException each time), which was most of the gap to raw
 * NDJSON (docs/notes/bench.md). The wire, the types and the errors stay tRPC's.
 */
class SocketClient<TRouter extends AnyRouter> extends TRPCUntypedClient<TRouter> {
  constructor(private readonly conn: Connection) {
    super({ links: [socketLink<TRouter>(conn)] });
  }

  override query(path: string, input?: unknown, opts?: TRPCRequestOptions): Promise<unknown> {
    return this.call('query', path, input, opts?.signal);
  }

  override mutation(path: string, input?: unknown, opts?: TRPCRequestOptions): Promise<unknown> {
    return this.call('mutation', path, input, opts?.signal);
  }

  private call(type: 'query' | 'mutation', path: string, input: unknown, signal: AbortSignal | undefined | null): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(TRPCClientError.from(signal.reason as Error));
      const onAbort = () => {
        call.cancel();
        reject(TRPCClientError.from(signal?.reason as Error));
      };
      const call = startCall(this.conn, { type, path, input }, {
        onFrame(frame, done) {
          // decode first: a frame that cannot be decoded throws before the call is done,
          // so the connection can still fail it (BAD_FRAME)
          if ('error' in frame) {
            const err = errorOf(frame);
            done();
            signal?.removeEventListener('abort', onAbort);
            reject(err);
          } else if (frame.result.type === 'data') {
            const value = decode(frame.result.data);
            done();
            signal?.removeEventListener('abort', onAbort);
            resolve(value);
          } else {
            // a query or mutation has one answer: `started`/`stopped` here is a broken server
            throw new Error(`a ${type} was answered with "${frame.result.type}"`);
          }
        },
        onFailed(err) {
          signal?.removeEventListener('abort', onAbort);
          reject(TRPCClientError.from(err));
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** A typed tRPC client of one service over its Unix socket. */
export function connect<TRouter extends AnyRouter>(options: ConnectOptions): RpcClient<TRouter> {
  const opts: Required<ConnectOptions> = { ...CONNECT_DEFAULTS, ...options };
  const conn = new Connection(opts);
  const client = createTRPCClientProxy<TRouter>(new SocketClient<TRouter>(conn));
  return { client, close: () => conn.close() };
}
