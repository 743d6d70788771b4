/**
 * The console's HTTP listener on 127.0.0.1: the login exchange, the page and its two
 * assets, and the page's API under /trpc (tRPC over HTTP; subscriptions as
 * server-sent events). Every request passes the Host check first; the API also needs
 * the session cookie, and an action the shape request-guard.ts describes.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { AnyRouter } from '@trpc/server';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import { CONSOLE_PORT_USE, IAPEER_WELL_KNOWN_PATH, identifyPortHolder, portInUseError, type IapeerIdentityDoc } from '@iapeer/rpc';
import type { ConsoleAuth } from '../auth/console-auth';
import { cookieName, parseCookies, sessionCookie } from '../auth/cookie';
import { loggedInPage, loginNeededPage } from './pages';
import { checkApiRequest, checkHost, checkOrigin, checkSession } from './request-guard';

export const CONSOLE_HOST = '127.0.0.1';

export interface ConsoleHttpOptions {
  port: number;
  auth: ConsoleAuth;
  /** The whole console is read-only (IAPEER_CONSOLE_READ_ONLY). */
  readOnly: boolean;
  /** The page's API for a full login and for a read-only one. */
  routers: { full: AnyRouter; readOnly: AnyRouter };
  /** Holds index.html, app.js and styles.css (the esbuild output). */
  pageDir: string;
  identity: Omit<IapeerIdentityDoc, 'service'>;
  onError?: (err: unknown) => void;
}

export interface ConsoleHttp {
  port: number;
  base: string;
  close(): Promise<void>;
}

/** No framing, no sniffing, no referrer with a token in it, nothing cached, scripts only from here. */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const ASSETS: Record<string, string> = { '/assets/app.js': 'text/javascript; charset=utf-8', '/assets/styles.css': 'text/css; charset=utf-8' };

export async function startConsoleHttp(opts: ConsoleHttpOptions): Promise<ConsoleHttp> {
  let port = -1;
  const server = http.createServer((req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    handle(req, res, opts, port).catch((err) => {
      opts.onError?.(err);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      // a taken port is an operator's conflict, not a crash: say who holds it and the fix
      if (err.code === 'EADDRINUSE') void identifyPortHolder(opts.port, CONSOLE_HOST).then((h) => reject(portInUseError(opts.port, h, CONSOLE_HOST, CONSOLE_PORT_USE)));
      else reject(err);
    };
    server.once('error', onError);
    server.listen(opts.port, CONSOLE_HOST, () => {
      server.off('error', onError);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    base: `http://${CONSOLE_HOST}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // open event streams would hold the close forever
        server.closeAllConnections();
      }),
  };
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(body);
}

function refuseJson(res: http.ServerResponse, status: number, reason: string): void {
  send(res, status, 'application/json', JSON.stringify({ error: { message: `refused: ${reason}`, status } }));
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, opts: ConsoleHttpOptions, port: number): Promise<void> {
  const host = checkHost(req.headers, port);
  if (!host.ok) return refuseJson(res, host.status, `${host.reason} (DNS-rebinding guard)`);
  const url = new URL(req.url ?? '/', `http://${CONSOLE_HOST}:${port}`);
  const hasSession = (id: string | undefined) => opts.auth.hasSession(id);

  if (url.pathname.startsWith('/trpc/')) {
    const grant = opts.auth.session(parseCookies(req.headers.cookie).get(cookieName(port)));
    const readOnly = opts.readOnly || grant?.readOnly === true;
    const verdict = checkApiRequest({ method: req.method, headers: req.headers, port, readOnly, hasSession });
    if (!verdict.ok) return refuseJson(res, verdict.status, verdict.reason);
    await nodeHTTPRequestHandler({ router: readOnly ? opts.routers.readOnly : opts.routers.full, req, res, path: url.pathname.slice('/trpc/'.length), onError: ({ error }) => error.code === 'INTERNAL_SERVER_ERROR' && opts.onError?.(error) });
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return refuseJson(res, 405, `${req.method} is not allowed here`);
  const origin = checkOrigin(req.headers, port, false);
  if (!origin.ok) return refuseJson(res, origin.status, origin.reason);

  if (url.pathname === IAPEER_WELL_KNOWN_PATH) {
    return send(res, 200, 'application/json', JSON.stringify({ service: 'iapeer-console', ...opts.identity } satisfies IapeerIdentityDoc));
  }
  if (url.pathname === '/login') {
    const v = opts.auth.exchange(url.searchParams.get('token'));
    if (!v.ok) return send(res, 401, 'text/html; charset=utf-8', loginNeededPage(v.reason));
    return send(res, 200, 'text/html; charset=utf-8', loggedInPage(), { 'set-cookie': sessionCookie(port, v.session, opts.auth.sessionTtl) });
  }
  if (url.pathname === '/') {
    const s = checkSession(req.headers, port, hasSession);
    if (!s.ok) return send(res, 401, 'text/html; charset=utf-8', loginNeededPage(s.reason));
    return send(res, 200, 'text/html; charset=utf-8', await fs.promises.readFile(path.join(opts.pageDir, 'index.html')));
  }
  const type = ASSETS[url.pathname];
  if (type) return send(res, 200, type, await fs.promises.readFile(path.join(opts.pageDir, path.basename(url.pathname))));
  return send(res, 404, 'text/plain; charset=utf-8', 'not found');
}
