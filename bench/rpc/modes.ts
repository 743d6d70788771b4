import http from 'node:http';
import net from 'node:net';
import { createTRPCClient, httpLink } from '@trpc/client';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import superjson from 'superjson';
import { connect, serve } from '@iapeer/rpc';
import { benchRouter, RAW_RESPONSE, type BenchRouter } from './router';

/** raw: NDJSON over node:net; trpc: libs/rpc (custom NDJSON link); http: stock httpLink + standalone adapter. */
export type Mode = 'raw' | 'trpc' | 'http';
export const MODES: readonly Mode[] = ['raw', 'trpc', 'http'];

/** One way of making the call, from the client process. */
export interface Caller {
  call(): Promise<unknown>;
  close(): void;
}

/** Splits NDJSON and hands each parsed frame on (the raw ends' whole protocol). */
function onFrames(socket: net.Socket, handle: (frame: any) => void): void {
  socket.setEncoding('utf8');
  let rest = '';
  socket.on('data', (chunk: string) => {
    const text = rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      handle(JSON.parse(text.slice(start, nl)));
      start = nl + 1;
    }
    rest = text.slice(start);
  });
}

/** Starts the server of `mode` on `socketPath`; resolves once it listens. */
export async function startServer(mode: Mode, socketPath: string): Promise<void> {
  if (mode === 'trpc') {
    await serve({ router: benchRouter, socketPath });
    return;
  }
  const server =
    mode === 'raw'
      ? net.createServer((socket) => {
          onFrames(socket, (frame: { id: number }) => socket.write(JSON.stringify({ id: frame.id, result: RAW_RESPONSE }) + '\n'));
          socket.on('error', () => {
            /* the bench client going away mid-run is not an error of the server */
          });
        })
      : http.createServer(createHTTPHandler({ router: benchRouter, createContext: () => ({}) }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, resolve);
  });
}

/** A connected client of `mode`. */
export async function openCaller(mode: Mode, socketPath: string): Promise<Caller> {
  if (mode === 'trpc') {
    const { client, close } = connect<BenchRouter>({ service: 'bench', socketPath });
    return { call: () => client.ping.query(), close };
  }
  if (mode === 'http') {
    const agent = new http.Agent({ keepAlive: true });
    const client = createTRPCClient<BenchRouter>({ links: [httpLink({ url: 'http://iapeer', transformer: superjson, fetch: unixFetch(socketPath, agent) })] });
    return { call: () => client.ping.query(), close: () => agent.destroy() };
  }
  const socket = net.connect(socketPath);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const pending = new Map<number, (data: unknown) => void>();
  onFrames(socket, (frame: { id: number; result: { data: unknown } }) => {
    pending.get(frame.id)?.(frame.result.data);
    pending.delete(frame.id);
  });
  let nextId = 0;
  return {
    call: () =>
      new Promise((resolve) => {
        const id = ++nextId;
        pending.set(id, resolve);
        socket.write(JSON.stringify({ id, type: 'query', path: 'ping' }) + '\n');
      }),
    close: () => socket.destroy(),
  };
}

/** A `fetch` over node:http on a Unix socket (docs/notes/stack.md: fastest start, no dependency). */
function unixFetch(socketPath: string, agent: http.Agent) {
  return (url: string | URL | Request, init?: RequestInit): Promise<Response> =>
    new Promise((resolve, reject) => {
      const u = new URL(String(url));
      const req = http.request(
        { socketPath, agent, path: u.pathname + u.search, method: init?.method ?? 'GET', headers: Object.fromEntries(new Headers(init?.headers).entries()) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode, headers: { 'content-type': String(res.headers['content-type'] ?? '') } })));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (init?.body) req.write(init.body as string);
      req.end();
    });
}
