import { performance } from 'node:perf_hooks';
import { createTRPCClient, type TRPCLink } from '@trpc/client';
import { initTRPC } from '@trpc/server';
import { observable } from '@trpc/server/observable';
import { callProcedure, transformTRPCResponse, type AnyRouter } from '@trpc/server/unstable-core-do-not-import';
import superjson from 'superjson';
import { benchRouter, type BenchRouter } from './router';

/** µs per operation of `fn`, timed over `n` runs after a warm-up of n/4. */
async function perOp(n: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < n / 4; i++) await fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return Math.round((((performance.now() - t0) * 1000) / n) * 100) / 100;
}

const config = benchRouter._def._config;
const request = { id: 1, type: 'query', path: 'ping' };
const callsAbort = new AbortController();
const call = (router: AnyRouter) => callProcedure({ router, path: 'ping', getRawInput: async () => undefined, ctx: {}, type: 'query', signal: callsAbort.signal, batchIndex: 0 });

/** The same query on a bare tRPC instance: no middleware (contracts add one, mapErrors). */
const t = initTRPC.create({ transformer: superjson });
const plainRouter = t.router({ ping: t.procedure.query(() => ({ ok: true })) });

/** What libs/rpc's server does for one call, minus the socket. */
const serverDispatch = async () => {
  const data = await call(benchRouter);
  return JSON.stringify({ id: 1, result: { type: 'data', data: config.transformer.output.serialize(data) } });
};

/** A terminating link that answers at once: what the stock tRPC client costs without any I/O. */
const instantLink: TRPCLink<BenchRouter> = () => () =>
  observable((observer) => {
    observer.next({ result: { type: 'data', data: superjson.deserialize({ json: { ok: true } }) } });
    observer.complete();
  });

/**
 * Where a call's time goes, in-process and without a socket: µs per call for each
 * piece of the path. Over a socket every piece costs more (cold caches between
 * wake-ups), but the proportions hold.
 */
export async function runBreakdown(n: number): Promise<Record<string, number>> {
  const client = createTRPCClient<BenchRouter>({ links: [instantLink] });
  const responseFrame = JSON.stringify({ id: 1, result: { type: 'data', data: { json: { ok: true } } } });
  return {
    jsonFramesBothWays: await perOp(n, () => JSON.parse(JSON.stringify(request)) && JSON.parse(responseFrame)),
    superjsonSerializeDeserialize: await perOp(n, () => superjson.deserialize(superjson.serialize({ ok: true }))),
    serverCallProcedure: await perOp(n, () => call(benchRouter)),
    serverCallProcedureWithoutMiddleware: await perOp(n, () => call(plainRouter)),
    serverDispatchTotal: await perOp(n, serverDispatch),
    stockTransformTRPCResponse: await perOp(n, () => transformTRPCResponse(config, { id: 1, result: { type: 'data', data: { ok: true } } })),
    stockClientChainPerCall: await perOp(n, () => client.ping.query()),
    stockClientAbortControllerPerCall: await perOp(n, () => {
      // what tRPC's observableToPromise does for every call (libs/rpc's query path skips it)
      const ac = new AbortController();
      ac.signal.addEventListener('abort', () => undefined);
      ac.abort();
    }),
  };
}
