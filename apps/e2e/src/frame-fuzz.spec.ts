import net from 'node:net';
import fc from 'fast-check';
import superjson, { type SuperJSONResult } from 'superjson';
import { SERVICE_NAMES, type ServiceName } from '@iapeer/core';
import { makeSandbox, TestStack, waitFor, type Sandbox } from '@iapeer/testing';
import { fuzzRuns } from './fuzz/arbitraries';

// Seams that cannot crash (issue 12): garbage, truncated and 10 MB frames written raw to
// every service socket of the real built services, and a fake logd that answers garbage
// to the other three (every service ships its log lines to logd). Nothing dies, and the
// next good call answers. The frame rules are in libs/rpc/src/ndjson.ts.

/** A raw connection to a socket: write anything, read answer lines, see it closed. */
async function rawConnection(socketPath: string) {
  const socket = net.connect(socketPath);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.setEncoding('utf8');
  const lines: string[] = [];
  let buf = '';
  let closed = false;
  socket.on('data', (chunk: string) => {
    buf += chunk;
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  });
  socket.on('error', () => undefined);
  socket.on('close', () => (closed = true));
  return {
    lines,
    isClosed: () => closed,
    write: (data: string | Uint8Array) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.write(data, () => resolve()))),
    end: () => socket.end(),
    destroy: () => socket.destroy(),
  };
}

const healthLine = (id: number) => JSON.stringify({ id, type: 'query', path: 'health' }) + '\n';
const answerOf = (line: string) => JSON.parse(line) as { id: number; result?: { data: SuperJSONResult }; error?: SuperJSONResult };
const codeOfAnswer = (line: string) => (superjson.deserialize(answerOf(line).error!) as { data?: { iapeerCode?: string } }).data?.iapeerCode;

describe('frames that cannot crash a service (real services, real sockets)', () => {
  let sb: Sandbox;
  let stack: TestStack;

  beforeAll(async () => {
    sb = makeSandbox({ IAPEER_SUPERVISE_INTERVAL_MS: '3600000' });
    stack = new TestStack(sb);
    await stack.start();
  }, 60_000);

  afterAll(async () => {
    await stack.stop();
    sb.cleanup();
  });

  /** The service process still runs and a fresh typed client gets health. */
  async function expectAlive(name: ServiceName): Promise<void> {
    const child = stack.children.get(name)!;
    expect({ service: name, exit: child.exitCode, signal: child.signalCode }).toEqual({ service: name, exit: null, signal: null });
    const { client, close } = stack.client(name, 2000);
    try {
      expect(await client.health.query()).toMatchObject({ name, ready: true });
    } finally {
      close();
    }
  }

  for (const name of SERVICE_NAMES) {
    describe(name, () => {
      it('drops a connection that writes garbage; a client connected before it still answers', async () => {
        const before = stack.client(name, 2000);
        const c = await rawConnection(sb.paths.serviceSocket(name));
        await c.write('\u0000\u00ff garbage {{{\n');
        await waitFor(async () => c.isClosed(), `${name} to drop the garbage connection`);
        expect(await before.client.health.query()).toMatchObject({ name, ready: true });
        before.close();
        await expectAlive(name);
      });

      it('answers BAD_FRAME to a 10 MB frame and then serves the same connection', async () => {
        const c = await rawConnection(sb.paths.serviceSocket(name));
        await c.write(JSON.stringify({ id: 1, type: 'query', path: 'health', input: 'x'.repeat(10 * 1024 * 1024) }) + '\n');
        await c.write(healthLine(2));
        await waitFor(async () => c.lines.length >= 2, `${name} to answer both frames`, 30_000);
        expect(answerOf(c.lines[0]).id).toBe(1);
        expect(codeOfAnswer(c.lines[0])).toBe('BAD_FRAME');
        expect(superjson.deserialize(answerOf(c.lines[1]).result!.data)).toMatchObject({ name, ready: true });
        c.destroy();
        await expectAlive(name);
      }, 60_000);

      it('answers BAD_FRAME to a frame with an id but a wrong shape, and survives one cut off mid-frame', async () => {
        const c = await rawConnection(sb.paths.serviceSocket(name));
        await c.write(JSON.stringify({ id: 3, type: 'teleport', path: 'health' }) + '\n');
        await waitFor(async () => c.lines.length >= 1, `${name} to answer the malformed frame`);
        expect(codeOfAnswer(c.lines[0])).toBe('BAD_FRAME');
        await c.write(healthLine(4).slice(0, 17));
        c.end();
        await waitFor(async () => c.isClosed(), 'the truncated connection to close');
        await expectAlive(name);
      });

      it('survives fuzzed bytes, lines and frames, and the next good call answers', async () => {
        const junk = fc.oneof(
          fc.uint8Array({ maxLength: 4096 }),
          fc.string({ maxLength: 300 }).map((s) => s + '\n'),
          fc.jsonValue().map((v) => JSON.stringify(v) + '\n'),
          fc
            .record({ id: fc.oneof(fc.integer(), fc.double(), fc.string()), type: fc.oneof(fc.constantFrom('query', 'mutation', 'subscription', 'stop'), fc.string()), path: fc.oneof(fc.constantFrom('health', 'list', 'nope', '__proto__', 'constructor'), fc.string()), input: fc.jsonValue() })
            .map((f) => JSON.stringify(f) + '\n'),
        );
        await fc.assert(
          fc.asyncProperty(fc.array(junk, { minLength: 1, maxLength: 4 }), async (writes) => {
            const c = await rawConnection(sb.paths.serviceSocket(name));
            for (const w of writes) await c.write(w);
            c.destroy();
            await expectAlive(name);
          }),
          { numRuns: fuzzRuns(15) },
        );
      }, 120_000);
    });
  }

  it("services stop, start and serve while logd's socket answers garbage; their log shipping then reaches the real logd again", async () => {
    const shippers = ['registry', 'supervisor', 'router'] as const;
    await stack.kill('logd', 'SIGTERM');
    // a fake logd: every frame is answered with garbage (not JSON, a wrong id type, an
    // array, a 1 MB line, an answer to a call nobody made)
    let frames = 0;
    const garbage = ['not a frame', '{"id":"x"}', '[1,2,3]', 'y'.repeat(1024 * 1024), '{"id":999999,"result":{"type":"data","data":{"json":1}}}'];
    const sockets = new Set<net.Socket>();
    const fake = net.createServer((socket) => {
      sockets.add(socket);
      socket.setEncoding('utf8');
      socket.on('error', () => undefined);
      socket.on('data', (chunk: string) => {
        for (const _line of chunk.split('\n').filter(Boolean)) socket.write(garbage[frames++ % garbage.length] + '\n');
      });
    });
    await new Promise<void>((resolve) => fake.listen(sb.paths.serviceSocket('logd'), resolve));
    try {
      // a stop and a start log lines (pino → logd), so every shipper meets the fake
      for (const name of shippers) {
        await stack.kill(name, 'SIGTERM');
        expect(stack.children.get(name)!.exitCode).toBe(0);
        stack.spawn(name);
        await stack.waitHealthy(name);
      }
      await waitFor(async () => frames >= shippers.length, 'the services to ship log lines to the fake logd', 20_000);
      for (const name of shippers) await expectAlive(name);
    } finally {
      // an answer to a call nobody made leaves that call waiting: closing the connections
      // is what a dying logd does, and the shippers retry on the next one
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => fake.close(() => resolve()));
    }
    stack.spawn('logd');
    await stack.waitHealthy('logd');
    for (const name of SERVICE_NAMES) await expectAlive(name);
    // the registry process that met the fake ships its last lines to the real logd
    const pid = stack.children.get('registry')!.pid!;
    await stack.kill('registry', 'SIGTERM');
    const logd = stack.client('logd', 2000);
    await waitFor(
      async () => (await logd.client.query.query({ log: 'registry', n: 100 })).lines.some((l) => l.includes(`"pid":${pid}`) && l.includes('"msg":"stopped"')),
      `registry ${pid}'s "stopped" line to reach the real logd`,
      20_000,
    );
    logd.close();
    stack.spawn('registry');
    await stack.waitHealthy('registry');
  }, 120_000);
});
