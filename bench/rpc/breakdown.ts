import { performance } from 'node:perf_hooks';
import { createTRPCClient, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import { callProcedure, transformTRPCResponse } from '@trpc/server/unstable-core-do-not-import';
import superjson from 'superjson';
import { benchRouter, type BenchRouter } from './router';

/** µs per operation of `fn`, timed over `n` runs after a warm-up of n/4. */
async function perOp(n: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < n / 4; i++) await fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return ((performance.now() - t0) * 1000) / n;
}

const config = benchRouter._def._config;
const request = { id: 1, type: 'query', path: 'ping' };

/** The server's work for one call minus the socket: what libs/rpc's dispatch does. */
const serverDispatch = async () => {
  const ac = new AbortController();
  const data = await callProcedure({ router: benchRouter, path: 'ping', getRawInput: async () => undefined, ctx: {}, type: 'query', signal: ac.signal, batchIndex: 0 });
  return JSON.stringify(transformTRPCResponse(config, { id: 1, result: { type: 'data', data } }));
};

/** A terminating link that answers at once: what the client costs without any I/O. */
const instantLink: TRPCLink<BenchRouter> = () => () =>
  observable((observer) => {
    observer.next({ result: { type: 'data', data: superjson.deserialize({ json: { ok: true } }) } });
    observer.complete();
  });

/**
 * Where a call's time goes, in-process and without a socket: each figure is µs per
 * call for one piece of the tRPC path. The added latency over raw NDJSON is roughly
 * client + server (a sequential call runs them one after the other).
 */
export async function runBreakdown(n: number): Promise<Record<string, number>> {
  const client = createTRPCClient<BenchRouter>({ links: [instantLink] });
  const responseFrame = JSON.stringify({ id: 1, result: { type: 'data', data: { json: { ok: true } } } });
  return {
    jsonFramesBothWays: await perOp(n, () => JSON.parse(JSON.stringify(request)) && JSON.parse(responseFrame)),
    superjsonSerializeDeserialize: await perOp(n, () => superjson.deserialize(superjson.serialize({ ok: true }))),
    serverCallProcedure: await perOp(n, () => callProcedure({ router: benchRouter, path: 'ping', getRawInput: async () => undefined, ctx: {}, type: 'query', signal: undefined, batchIndex: 0 })),
    serverAbortController: await perOp(n, () => new AbortController()),
    serverDispatchTotal: await perOp(n, serverDispatch),
    clientProxyAndLink: await perOp(n, () => client.ping.query()),
  };
}
