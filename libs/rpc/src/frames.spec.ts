import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import superjson, { type SuperJSONResult } from 'superjson';
import { z } from 'zod';
import { procedure, router } from '@iapeer/contracts';
import { connect, iapeerCodeOf, serve, type RpcServer } from './index';
import { LineSplitter, parseRequestLine, parseResponseLine, readFrameId } from './ndjson';

/**
 * The seams cannot crash: garbage, truncated, malformed and oversized frames, written raw
 * to a real server socket and answered by a fake server to a real client. Nothing throws
 * out of a socket handler (Jest fails a test on an uncaught exception), and the next good
 * call answers.
 */

const sockDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'iap-frames-'));

const testRouter = router({
  echo: procedure.input(z.object({ n: z.number() })).query(({ input }) => ({ twice: input.n * 2 })),
  big: procedure.input(z.object({ s: z.string() })).mutation(({ input }) => input.s.length),
});
type TestRouter = typeof testRouter;

const servers: RpcServer[] = [];
const closers: Array<() => void> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function startServer(maxCallChars?: number) {
  const socketPath = path.join(sockDir(), 'svc.sock');
  const server = await serve({ router: testRouter, socketPath, maxCallChars });
  servers.push(server);
  return socketPath;
}

function client(socketPath: string, extra: { maxCallChars?: number; maxAnswerChars?: number; retryMs?: number } = {}) {
  const c = connect<TestRouter>({ service: 'svc', socketPath, ...extra });
  closers.push(c.close);
  return c.client;
}

/** A raw connection: write bytes, collect answer lines, know when the server closed it. */
async function raw(socketPath: string) {
  const socket = net.connect(socketPath);
  closers.push(() => socket.destroy());
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
    socket,
    lines,
    isClosed: () => closed,
    write: (data: string | Uint8Array) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.write(data, () => resolve()))),
  };
}

async function until(cond: () => boolean, what: string, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const callLine = (id: number, input: unknown = { n: 1 }) => JSON.stringify({ id, type: 'query', path: 'echo', input: superjson.serialize(input) }) + '\n';
const iapeerCodeOfLine = (line: string) => (superjson.deserialize(JSON.parse(line).error) as { data?: { iapeerCode?: string } }).data?.iapeerCode;

describe('LineSplitter', () => {
  it('gives back the same lines however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes('\n')), { maxLength: 20 }), fc.array(fc.nat(40), { maxLength: 30 }), (lines, cuts) => {
        const text = lines.map((l) => l + '\n').join('');
        const splitter = new LineSplitter(1000);
        const out: string[] = [];
        let at = 0;
        for (const c of cuts) {
          out.push(...splitter.push(text.slice(at, at + c)));
          at += c;
        }
        out.push(...splitter.push(text.slice(at)));
        expect(out).toEqual(lines);
      }),
    );
  });

  it('hands over the head of a too-long line, drops the rest of it, and goes on with the next line', () => {
    const heads: string[] = [];
    const splitter = new LineSplitter(10, (h) => heads.push(h));
    const out = [...splitter.push('{"id":7,"x":"'), ...splitter.push('a'.repeat(50)), ...splitter.push('more"}\nok\n'), ...splitter.push('x'.repeat(11) + '\nfine\n')];
    expect(out).toEqual(['ok', 'fine']);
    expect(heads.map(readFrameId)).toEqual([7, undefined]);
  });
});

describe('frame parsers never throw', () => {
  it('on any text, any JSON value and any object with an id', () => {
    const anyLine = fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.dictionary(fc.string(), fc.jsonValue()).map((d) => JSON.stringify({ id: 1, ...d })));
    fc.assert(
      fc.property(anyLine, (line) => {
        expect(['frame', 'malformed', 'garbage']).toContain(parseRequestLine(line).kind);
        expect(['frame', 'malformed', 'garbage']).toContain(parseResponseLine(line).kind);
        readFrameId(line);
      }),
      { numRuns: 500 },
    );
  });
});

describe('a server fed bad frames', () => {
  it('drops a connection that speaks garbage (no id to answer) and keeps serving others', async () => {
    const socketPath = await startServer();
    const good = client(socketPath);
    const bad = await raw(socketPath);
    await bad.write('this is not json\n');
    await until(bad.isClosed, 'the garbage connection to close');
    expect(await good.echo.query({ n: 2 })).toEqual({ twice: 4 });
  });

  it('answers BAD_FRAME to a frame with an id but a wrong shape, and the connection goes on', async () => {
    const socketPath = await startServer();
    const c = await raw(socketPath);
    await c.write(JSON.stringify({ id: 5, type: 'explode', path: 'echo' }) + '\n');
    await c.write(JSON.stringify({ id: 6, type: 'query' }) + '\n');
    await c.write(callLine(7, { n: 3 }));
    await until(() => c.lines.length === 3, 'three answers');
    const byId = new Map(c.lines.map((l) => [JSON.parse(l).id as number, l]));
    expect(iapeerCodeOfLine(byId.get(5)!)).toBe('BAD_FRAME');
    expect(iapeerCodeOfLine(byId.get(6)!)).toBe('BAD_FRAME');
    expect(superjson.deserialize(JSON.parse(byId.get(7)!).result.data)).toEqual({ twice: 6 });
    expect(c.isClosed()).toBe(false);
  });

  it('answers BAD_FRAME to a 10 MB frame (over the 8 Mi-character limit) without buffering it, then serves the next frame on the same connection', async () => {
    const socketPath = await startServer();
    const c = await raw(socketPath);
    const huge = JSON.stringify({ id: 9, type: 'mutation', path: 'big', input: superjson.serialize({ s: 'x'.repeat(10 * 1024 * 1024) }) }) + '\n';
    await c.write(huge);
    await c.write(callLine(10, { n: 5 }));
    await until(() => c.lines.length === 2, 'two answers', 20_000);
    expect(iapeerCodeOfLine(c.lines[0])).toBe('BAD_FRAME');
    expect(JSON.parse(c.lines[0]).id).toBe(9);
    expect(superjson.deserialize(JSON.parse(c.lines[1]).result.data)).toEqual({ twice: 10 });
  }, 30_000);

  it('survives a truncated frame cut by a closed connection', async () => {
    const socketPath = await startServer();
    const c = await raw(socketPath);
    await c.write(callLine(1).slice(0, 20));
    c.socket.end();
    await until(c.isClosed, 'the connection to close');
    expect(await client(socketPath).echo.query({ n: 1 })).toEqual({ twice: 2 });
  });

  it('survives random bytes, random lines and random JSON (fuzzed), and the next good call answers', async () => {
    const socketPath = await startServer(64 * 1024);
    const good = client(socketPath);
    const junk = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }),
      fc.string({ maxLength: 500 }).map((s) => s + '\n'),
      fc.jsonValue().map((v) => JSON.stringify(v) + '\n'),
      fc.record({ id: fc.oneof(fc.integer(), fc.string(), fc.constant(null)), type: fc.oneof(fc.constantFrom('query', 'mutation', 'subscription', 'stop'), fc.string()), path: fc.oneof(fc.constantFrom('echo', 'big', 'nope', '__proto__', 'echo.x'), fc.string()), input: fc.jsonValue() }).map((f) => JSON.stringify(f) + '\n'),
      fc.nat(200 * 1024).map((n) => `{"id":1,"type":"query","path":"echo","input":"${'z'.repeat(n)}`),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(junk, { minLength: 1, maxLength: 5 }), async (writes) => {
        const c = await raw(socketPath);
        for (const w of writes) await c.write(w);
        c.socket.end();
        expect(await good.echo.query({ n: 21 })).toEqual({ twice: 42 });
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});

/** A fake service: each connection is answered by the next handler (the last one repeats). */
async function fakeServer(handlers: Array<(frame: { id: number; input?: unknown }, socket: net.Socket) => void>) {
  const socketPath = path.join(sockDir(), 'fake.sock');
  let n = 0;
  const server = net.createServer((socket) => {
    const handle = handlers[Math.min(n++, handlers.length - 1)];
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    const splitter = new LineSplitter();
    socket.on('data', (chunk: string) => {
      for (const line of splitter.push(chunk)) handle(JSON.parse(line), socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  closers.push(() => server.close());
  return { socketPath, connections: () => n };
}
const answer = (socket: net.Socket, id: number, data: unknown) => socket.write(JSON.stringify({ id, result: { type: 'data', data: superjson.serialize(data) } }) + '\n');
const honest = (frame: { id: number }, socket: net.Socket) => answer(socket, frame.id, { twice: 42 });

/** Every non-blank line is an object with an integer id (it answers some call, maybe not ours). */
function onlyFramesForOtherCalls(text: string): boolean {
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .every((l) => {
      try {
        const v: unknown = JSON.parse(l);
        return typeof v === 'object' && v !== null && !Array.isArray(v) && Number.isSafeInteger((v as { id?: unknown }).id);
      } catch {
        return false;
      }
    });
}

describe('a client answered with bad frames', () => {
  it('fails its in-flight calls with BAD_FRAME on a garbage line (a query is not replayed), then reconnects for the next call', async () => {
    const fake = await fakeServer([(_f, s) => s.write('<html>garbage</html>\n'), honest]);
    const c = client(fake.socketPath);
    const errs = await Promise.all([c.echo.query({ n: 1 }).catch((e: unknown) => e), c.echo.query({ n: 2 }).catch((e: unknown) => e)]);
    expect(errs.map(iapeerCodeOf)).toEqual(['BAD_FRAME', 'BAD_FRAME']);
    expect(await c.echo.query({ n: 21 })).toEqual({ twice: 42 });
    expect(fake.connections()).toBe(2);
  });

  it('fails only the call whose answer is malformed, undecodable, oversized or of the wrong kind; the connection goes on', async () => {
    const bad: Record<number, (id: number, s: net.Socket) => void> = {
      1: (id, s) => s.write(JSON.stringify({ id, result: 'nope' }) + '\n'),
      2: (id, s) => s.write(JSON.stringify({ id, result: { type: 'data', data: { json: 'x', meta: { values: [['custom', 'nope']] } } } }) + '\n'),
      3: (id, s) => answer(s, id, 'y'.repeat(5000)),
      4: (id, s) => s.write(JSON.stringify({ id, result: { type: 'stopped' } }) + '\n'),
    };
    const fake = await fakeServer([
      (frame, s) => {
        const { n } = superjson.deserialize(frame.input as SuperJSONResult) as { n: number };
        (bad[n] ?? ((id, sock) => answer(sock, id, { twice: n * 2 })))(frame.id, s);
      },
    ]);
    const c = client(fake.socketPath, { maxAnswerChars: 1000 });
    const outcomes = await Promise.all([1, 2, 3, 4, 5].map((n) => c.echo.query({ n }).then((v) => v, (e: unknown) => iapeerCodeOf(e))));
    expect(outcomes).toEqual(['BAD_FRAME', 'BAD_FRAME', 'BAD_FRAME', 'BAD_FRAME', { twice: 10 }]);
    expect(fake.connections()).toBe(1);
  });

  it('refuses to send a call over the call limit (BAD_FRAME) without costing the connection', async () => {
    const socketPath = await startServer();
    const c = client(socketPath, { maxCallChars: 1000 });
    expect(await c.echo.query({ n: 1 })).toEqual({ twice: 2 });
    const err = await c.big.mutate({ s: 'x'.repeat(2000) }).catch((e: unknown) => e);
    expect(iapeerCodeOf(err)).toBe('BAD_FRAME');
    expect(await c.echo.query({ n: 2 })).toEqual({ twice: 4 });
  });

  it('settles every call whatever the server answers (fuzzed), and the next good call answers', async () => {
    const reply = fc.oneof(
      fc.string({ maxLength: 300 }).map((s) => s + '\n'),
      fc.jsonValue().map((v) => JSON.stringify(v) + '\n'),
      fc.record({ result: fc.oneof(fc.jsonValue(), fc.record({ type: fc.constantFrom('data', 'started', 'stopped', 'x'), data: fc.jsonValue() })), error: fc.option(fc.jsonValue(), { nil: undefined }) }),
      fc.nat(3000).map((n) => 'q'.repeat(n)),
    );
    await fc.assert(
      fc.asyncProperty(reply, async (r) => {
        let replied = false;
        const fake = await fakeServer([
          (frame, s) => {
            replied = true;
            if (typeof r === 'string') s.write(r.endsWith('\n') ? r : r + '\n');
            else s.write(JSON.stringify({ id: frame.id, ...r }) + '\n');
          },
          honest,
        ]);
        const c = connect<TestRouter>({ service: 'svc', socketPath: fake.socketPath, maxAnswerChars: 2000, retryMs: 300 });
        closers.push(c.close);
        const first = c.client.echo.query({ n: 1 }).then(
          () => 'ok',
          (e: unknown) => iapeerCodeOf(e),
        );
        // Only a reply made of blank lines and frames for other ids leaves our call unanswered:
        // that call settles when the client is closed (CLIENT_CLOSED), never by itself. Any
        // other reply settles it first (ok, BAD_FRAME, or a replay that the honest handler answers).
        const unanswered = typeof r === 'string' && onlyFramesForOtherCalls(r);
        if (unanswered) {
          await until(() => replied, 'the fake server to answer');
          c.close();
          expect(await first).toBe('CLIENT_CLOSED');
        } else {
          expect(await first).not.toBe('CLIENT_CLOSED');
        }
        const next = client(fake.socketPath);
        expect(await next.echo.query({ n: 21 })).toEqual({ twice: 42 });
      }),
      { numRuns: 30 },
    );
  }, 60_000);
});
