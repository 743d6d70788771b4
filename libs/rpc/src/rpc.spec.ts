import fs from 'node:fs';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { IapeerError } from '@iapeer/core';
import { procedure, router } from '@iapeer/contracts';
import { connect, serve, iapeerCodeOf, type RpcServer } from './index';

function makeRouter(log: string[] = []) {
  let gate: (() => void) | undefined;
  return {
    release: () => gate?.(),
    router: router({
      echo: procedure.input(z.object({ at: z.date(), n: z.number() })).query(({ input }) => ({ at: input.at, twice: input.n * 2 })),
      bump: procedure.input(z.object({ key: z.string() })).mutation(({ input }) => {
        log.push(input.key);
        return { ok: true };
      }),
      slow: procedure.mutation(() => new Promise<string>((resolve) => (gate = () => resolve('finished')))),
      stalled: procedure.query(() => new Promise<string>((resolve) => (gate = () => resolve('late')))),
      fail: procedure.query(() => {
        throw new IapeerError('PEER_NOT_FOUND', 'peer "ghost" not registered');
      }),
      ticks: procedure.input(z.object({ count: z.number() })).subscription(async function* ({ input, signal }) {
        try {
          for (let i = 0; i < input.count; i++) {
            if (signal?.aborted) return;
            yield i;
            await new Promise((r) => setTimeout(r, 5));
          }
        } finally {
          log.push('finally');
        }
      }),
    }),
  };
}
type TestRouter = ReturnType<typeof makeRouter>['router'];

const sockDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'iap-rpc-'));
const servers: RpcServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(socketPath: string, r = makeRouter()) {
  const server = await serve({ router: r.router, socketPath });
  servers.push(server);
  return server;
}

async function waitFor(cond: () => boolean, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('rpc over a Unix socket', () => {
  it('round-trips queries with superjson (a Date stays a Date) and locks the socket down', async () => {
    const socketPath = path.join(sockDir(), 'sock', 'svc.sock');
    await start(socketPath);
    expect(fs.statSync(socketPath).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(socketPath)).mode & 0o777).toBe(0o700);
    const { client, close } = connect<TestRouter>({ service: 'svc', socketPath });
    const at = new Date('2026-11-25T10:00:00Z');
    const out = await client.echo.query({ at, n: 21 });
    expect(out.at).toBeInstanceOf(Date);
    expect(out.at.getTime()).toBe(at.getTime());
    expect(out.twice).toBe(42);
    close();
  });

  it('carries the iapeer code and message of a handler error across the socket', async () => {
    const socketPath = path.join(sockDir(), 'svc.sock');
    await start(socketPath);
    const { client, close } = connect<TestRouter>({ service: 'svc', socketPath });
    const err = await client.fail.query().catch((e) => e);
    expect(err.message).toBe('peer "ghost" not registered');
    expect(iapeerCodeOf(err)).toBe('PEER_NOT_FOUND');
    expect(err.data.code).toBe('NOT_FOUND');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- deliberately outside the contract's type: the test checks the server refuses it
    const bad = await client.echo.query({ at: 'nope', n: 1 } as any).catch((e) => e);
    expect(iapeerCodeOf(bad)).toBe('INVALID_INPUT');
    close();
  });

  it('fails at once (no retry on a missing socket) with SERVICE_UNAVAILABLE naming the service, socket and fix when it is down', async () => {
    const socketPath = path.join(sockDir(), 'registry.sock');
    const { client, close } = connect<TestRouter>({ service: 'registry', socketPath });
    const err = await client.echo.query({ at: new Date(), n: 1 }).catch((e) => e);
    expect(iapeerCodeOf(err)).toBe('SERVICE_UNAVAILABLE');
    expect(err.message).toContain('registry service is not answering on ' + socketPath + ' (ENOENT: not running)');
    expect(err.message).toContain('iapeer up');
    close();
  });

  it('retries a query across a restart within the bound', async () => {
    const socketPath = path.join(sockDir(), 'svc.sock');
    const first = await start(socketPath);
    const { client, close } = connect<TestRouter>({ service: 'svc', socketPath, waitForMissing: true });
    expect((await client.echo.query({ at: new Date(), n: 1 })).twice).toBe(2);
    await first.close();
    servers.splice(servers.indexOf(first), 1);
    // the call goes out while nothing listens; the new server comes up while it retries
    const pending = client.echo.query({ at: new Date(), n: 2 });
    await start(socketPath);
    expect((await pending).twice).toBe(4);
    close();
  });

  it('gives up after retryMs when a crashed service leaves a stale socket', async () => {
    const socketPath = path.join(sockDir(), 'svc.sock');
    // a real SIGKILL: the socket file stays behind and nobody accepts
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socketPath)}, () => console.log('up'))`]);
    await new Promise((r) => child.stdout.once('data', r));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(fs.existsSync(socketPath)).toBe(true);
    const { client, close } = connect<TestRouter>({ service: 'svc', socketPath, retryMs: 400 });
    const err = await client.echo.query({ at: new Date(), n: 1 }).catch((e) => e);
    expect(iapeerCodeOf(err)).toBe('SERVICE_UNAVAILABLE');
    expect(err.message).toMatch(/ECONNREFUSED, retried for 400 ms/);
    // and a new server removes the stale file and listens
    await start(socketPath);
    close();
  });

  it('refuses to start over a live socket', async () => {
    const socketPath = path.join(sockDir(), 'svc.sock');
    await start(socketPath);
    await expect(serve({ router: makeRouter().router, socketPath })).rejects.toThrow(/already listening/);
  });

  it('drains in-flight calls on close, then removes the socket', async () => {
    const socketPath = path.join(sockDir(), 'svc.sock');
    const r = makeRouter();
    const server = await serve({ router: r.router, socketPath });
    const { client, close } = connect<TestRouter>({ service: 'svc', socketPath });
    const call = client.slow.mutate();
    await waitFor(() => server.inflight() === 1);
    const closed = server.close();
    r.release();
    expect(await call).toBe('finished');
    await closed;
    expect(fs.existsSync(socketPath)).toBe(false);
    close();
  });

  it('never replays a mutation whose connection was lost', async () => {
    const socketPath = path.join(sockDir(), 'svc.sock');
    const r = makeRouter();
    const server = await serve({ router: r.router, socketPath, drainTimeoutMs: 50 });
    const { client, close } = connect<TestRouter>({ service: 'svc', socketPath, waitForMissing: true });
    const call = client.slow.mutate().catch((e) => e);
    await waitFor(() => server.inflight() === 1);
    await server.close();
    const err = await call;
    expect(iapeerCodeOf(err)).toBe('SERVICE_UNAVAILABLE');
    expect(err.message).toMatch(/may or may not have been applied/);
    close();
  });

  it('fails every call in flight with CLIENT_CLOSED when the client is closed (a query is not replayed), and every call after', async () => {
    const socketPath = path.join(sockDir(), 'svc.sock');
    const r = makeRouter();
    const server = await start(socketPath, r);
    const { client, close } = connect<TestRouter>({ service: 'svc', socketPath, retryMs: 60_000 });
    const query = client.stalled.query().catch((e: unknown) => e);
    await waitFor(() => server.inflight() === 1);
    const mutation = client.slow.mutate().catch((e: unknown) => e);
    await waitFor(() => server.inflight() === 2);
    close();
    // settled by close itself: no timer, no server answer (the server still holds both calls)
    const [q, m] = await Promise.all([query, mutation]);
    expect([iapeerCodeOf(q), iapeerCodeOf(m)]).toEqual(['CLIENT_CLOSED', 'CLIENT_CLOSED']);
    expect((m as Error).message).toMatch(/may or may not have been applied/);
    expect(iapeerCodeOf(await client.echo.query({ at: new Date(), n: 1 }).catch((e: unknown) => e))).toBe('CLIENT_CLOSED');
    r.release();
  });

  it('fails a call waiting for the socket with CLIENT_CLOSED when the client is closed meanwhile', async () => {
    const socketPath = path.join(sockDir(), 'svc.sock');
    // the service is not there yet: the call waits for it within retryMs
    const { client, close } = connect<TestRouter>({ service: 'svc', socketPath, retryMs: 60_000, waitForMissing: true });
    const call = client.echo.query({ at: new Date(), n: 1 }).catch((e: unknown) => e);
    close();
    expect(iapeerCodeOf(await call)).toBe('CLIENT_CLOSED');
  });

  it('streams subscriptions and runs the generator finally on unsubscribe', async () => {
    const socketPath = path.join(sockDir(), 'svc.sock');
    const log: string[] = [];
    await start(socketPath, makeRouter(log));
    const { client, close } = connect<TestRouter>({ service: 'svc', socketPath });
    const seen: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const sub = client.ticks.subscribe(
        { count: 1000 },
        {
          onData: (n) => {
            seen.push(n);
            if (n === 4) {
              sub.unsubscribe();
              resolve();
            }
          },
          onError: reject,
        },
      );
    });
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    await waitFor(() => log.includes('finally'));
    close();
  });

  it('rejects a call whose signal aborts, and the connection stays usable', async () => {
    const socketPath = path.join(sockDir(), 'svc.sock');
    const r = makeRouter();
    const server = await start(socketPath, r);
    const { client, close } = connect<TestRouter>({ service: 'svc', socketPath });
    const ac = new AbortController();
    const call = client.slow.mutate(undefined, { signal: ac.signal }).catch((e) => e);
    await waitFor(() => server.inflight() === 1);
    ac.abort();
    const err = await call;
    expect(err.name).toBe('TRPCClientError');
    expect(err.cause?.name).toBe('AbortError');
    r.release();
    expect((await client.echo.query({ at: new Date(), n: 3 })).twice).toBe(6);
    const already = await client.echo.query({ at: new Date(), n: 1 }, { signal: AbortSignal.abort() }).catch((e) => e);
    expect(already.cause?.name).toBe('AbortError');
    close();
  });

  it('multiplexes 200 concurrent calls on one connection', async () => {
    const socketPath = path.join(sockDir(), 'svc.sock');
    const log: string[] = [];
    await start(socketPath, makeRouter(log));
    const { client, close } = connect<TestRouter>({ service: 'svc', socketPath });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => client.bump.mutate({ key: `k${i}` })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(new Set(log).size).toBe(200);
    close();
  });
});
