import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  callProcedure,
  getErrorShape,
  getTRPCErrorFromUnknown,
  isAsyncIterable,
  TRPCError,
  type AnyRouter,
} from '@trpc/server/unstable-core-do-not-import';
import { IapeerError } from '@iapeer/core';
import { LineSplitter, type RequestFrame, type ResponseFrame } from './ndjson';

export interface ServeOptions<TRouter extends AnyRouter> {
  router: TRouter;
  socketPath: string;
  /** Called with every error a procedure throws (log it; the caller already gets it). */
  onError?: (info: { path: string; error: TRPCError }) => void;
  /** How long close() waits for in-flight calls before cutting connections. @default 10000 */
  drainTimeoutMs?: number;
}

export interface RpcServer {
  readonly socketPath: string;
  /** Calls (not subscriptions) currently running. */
  inflight(): number;
  /** Stop accepting, finish in-flight calls, end subscriptions, remove the socket. */
  close(): Promise<void>;
}

/**
 * Serves a tRPC router over a Unix socket with NDJSON frames on a persistent
 * connection (docs/notes/stack.md: 3.6–7.6x faster than httpLink over HTTP). A stale socket
 * is removed first; a live one means another instance runs, and we refuse.
 */
export async function serve<TRouter extends AnyRouter>(opts: ServeOptions<TRouter>): Promise<RpcServer> {
  const { router, socketPath } = opts;
  const config = router._def._config;
  // tRPC's transformTRPCResponse does the same through two babel object spreads (~3 µs a call)
  const serialize = (value: unknown): unknown => config.transformer.output.serialize(value);
  await prepareSocketPath(socketPath);

  let inflight = 0;
  let idle: (() => void) | undefined;
  const connections = new Set<net.Socket>();
  const subscriptions = new Set<AbortController>();

  const server = net.createServer((socket) => {
    connections.add(socket);
    socket.setEncoding('utf8');
    const splitter = new LineSplitter();
    const running = new Map<number, AbortController>();
    const send = (frame: ResponseFrame): Promise<void> | void => {
      if (socket.destroyed || !socket.writable) return;
      const ok = socket.write(JSON.stringify(frame) + '\n');
      if (!ok) return new Promise((resolve) => socket.once('drain', resolve));
    };

    // Calls share one controller per connection (aborted when it closes): a controller
    // per call costs µs on the hot path, and only subscriptions are stopped one by one.
    const callsAbort = new AbortController();
    const dispatch = async (frame: RequestFrame) => {
      if (frame.type === 'stop') {
        running.get(frame.id)?.abort();
        return;
      }
      const isCall = frame.type !== 'subscription';
      const ac = isCall ? callsAbort : new AbortController();
      if (isCall) inflight++;
      else {
        running.set(frame.id, ac);
        subscriptions.add(ac);
      }
      let input: unknown;
      try {
        input = frame.input === undefined ? undefined : config.transformer.input.deserialize(frame.input);
        const result = await callProcedure({
          router,
          path: frame.path,
          getRawInput: async () => input,
          ctx: {},
          type: frame.type,
          signal: ac.signal,
          batchIndex: 0,
        });
        if (isCall) {
          const pending = send({ id: frame.id, result: { type: 'data', data: serialize(result) } });
          if (pending) await pending;
          return;
        }
        if (!isAsyncIterable(result)) {
          throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `subscription ${frame.path} did not return an async iterable` });
        }
        await send({ id: frame.id, result: { type: 'started' } });
        for await (const item of result) {
          if (ac.signal.aborted) break;
          await send({ id: frame.id, result: { type: 'data', data: serialize(item) } });
        }
        await send({ id: frame.id, result: { type: 'stopped' } });
      } catch (cause) {
        if (ac.signal.aborted && !isCall) {
          await send({ id: frame.id, result: { type: 'stopped' } });
          return;
        }
        const error = getTRPCErrorFromUnknown(cause);
        opts.onError?.({ path: frame.path, error });
        const shape = getErrorShape({ config, error, type: frame.type, path: frame.path, input, ctx: {} });
        await send({ id: frame.id, error: serialize(shape) });
      } finally {
        if (isCall) {
          inflight--;
          if (inflight === 0) idle?.();
        } else {
          running.delete(frame.id);
          subscriptions.delete(ac);
        }
      }
    };

    socket.on('data', (chunk: string) => {
      for (const line of splitter.push(chunk)) {
        let frame: RequestFrame;
        try {
          frame = JSON.parse(line) as RequestFrame;
        } catch {
          socket.destroy(); // a peer that speaks garbage gets no second chance on this connection
          return;
        }
        if (typeof frame?.id !== 'number' || typeof frame.type !== 'string') {
          socket.destroy();
          return;
        }
        void dispatch(frame);
      }
    });
    socket.on('error', () => {
      /* the close handler below cleans up; a reset client is routine */
    });
    socket.on('close', () => {
      connections.delete(socket);
      callsAbort.abort();
      for (const ac of running.values()) ac.abort();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  fs.chmodSync(socketPath, 0o600);

  let closing: Promise<void> | undefined;
  return {
    socketPath,
    inflight: () => inflight,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        if (inflight > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, opts.drainTimeoutMs ?? 10_000);
            idle = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
        for (const ac of subscriptions) ac.abort();
        for (const socket of connections) socket.end();
        const cut = setTimeout(() => connections.forEach((s) => s.destroy()), 1000);
        await stopped;
        clearTimeout(cut);
        try {
          fs.unlinkSync(socketPath);
        } catch {
          /* net.Server.close already unlinked it on some platforms */
        }
      })();
      return closing;
    },
  };
}

/** Parent dir 0700; a stale socket removed; a live one refused. */
async function prepareSocketPath(socketPath: string): Promise<void> {
  const dir = path.dirname(socketPath);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  if (!fs.existsSync(socketPath)) return;
  const live = await new Promise<boolean>((resolve) => {
    const probe = net.connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (live) {
    throw new IapeerError('SERVICE_ALREADY_RUNNING', `another process is already listening on ${socketPath}; stop it first (\`iapeer down\`) or use another IAPEER_ROOT`, {
      data: { socketPath },
    });
  }
  fs.unlinkSync(socketPath);
}
