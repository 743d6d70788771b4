/**
 * Which HTTP requests the console answers. The listener is bound to 127.0.0.1, but a
 * page the operator has open elsewhere can still reach it: through a hostname that
 * rebinds to 127.0.0.1 (caught by Host), or by a cross-site form or fetch (caught by
 * Origin, by the SameSite=Strict cookie, and by the JSON content type a form cannot
 * send without a CORS preflight the console never grants). Pure: headers in, verdict out.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { cookieName, parseCookies } from '../auth/cookie';

const LOCAL_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

export type GuardVerdict = { ok: true } | { ok: false; status: 401 | 403 | 405 | 415; reason: string };

const refuse = (status: 401 | 403 | 405 | 415, reason: string): GuardVerdict => ({ ok: false, status, reason });

function splitHostPort(value: string): { hostname: string; port: string } {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(value.trim());
  if (!m) return { hostname: '', port: '' };
  return { hostname: m[1].toLowerCase(), port: m[2] ?? '' };
}

/** Host must name this machine and this port (a rebinding name fails here). */
export function checkHost(headers: IncomingHttpHeaders, port: number): GuardVerdict {
  const host = headers.host;
  if (!host) return refuse(403, 'no Host header');
  const h = splitHostPort(host);
  if (!LOCAL_HOSTNAMES.has(h.hostname) || h.port !== String(port)) {
    return refuse(403, `Host ${JSON.stringify(host)} is not this console (expected 127.0.0.1:${port}, localhost:${port} or [::1]:${port})`);
  }
  return { ok: true };
}

/** The console's own origins: same scheme, loopback name and port as the page. */
export function isOwnOrigin(origin: string, port: number): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file://) and garbage
  }
  return url.protocol === 'http:' && LOCAL_HOSTNAMES.has(url.hostname.toLowerCase()) && url.port === String(port) && origin === url.origin;
}

/** An Origin, when the browser sends one, must be the console's own. */
export function checkOrigin(headers: IncomingHttpHeaders, port: number, required: boolean): GuardVerdict {
  const origin = headers.origin;
  if (origin === undefined) return required ? refuse(403, 'an action needs an Origin header (browsers send it on every POST)') : { ok: true };
  if (!isOwnOrigin(origin, port)) return refuse(403, `Origin ${JSON.stringify(origin)} is not this console (http://127.0.0.1:${port})`);
  // Fetch metadata, when present, must agree: only the console's own page may act
  const site = headers['sec-fetch-site'];
  if (required && site !== undefined && site !== 'same-origin') return refuse(403, `Sec-Fetch-Site "${String(site)}" is not same-origin`);
  return { ok: true };
}

export function checkSession(headers: IncomingHttpHeaders, port: number, hasSession: (id: string | undefined) => boolean): GuardVerdict {
  const id = parseCookies(headers.cookie).get(cookieName(port));
  if (!hasSession(id)) return refuse(401, id ? 'the console session expired or the console restarted: run `iapeer console` for a new login link' : 'not logged in: run `iapeer console` and open the link it prints');
  return { ok: true };
}

/**
 * An action (a tRPC mutation) must be a POST with a JSON body: a plain HTML form can
 * send neither, and a cross-site fetch that tries needs a preflight nobody answers.
 */
export function checkActionShape(method: string | undefined, headers: IncomingHttpHeaders): GuardVerdict {
  if (method !== 'POST') return refuse(405, `an action must be a POST, got ${method ?? 'no method'}`);
  const type = (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') return refuse(415, `an action must send application/json, got ${JSON.stringify(headers['content-type'] ?? '')}`);
  return { ok: true };
}

export interface ApiRequestFacts {
  method: string | undefined;
  headers: IncomingHttpHeaders;
  port: number;
  readOnly: boolean;
  hasSession(id: string | undefined): boolean;
}

/**
 * A call under /trpc: local Host, a live session cookie, no foreign Origin; a POST
 * (every mutation is one) also needs the action shape, its own Origin, and a console
 * that is not read-only. GET is queries and subscriptions: they change nothing.
 */
export function checkApiRequest(r: ApiRequestFacts): GuardVerdict {
  const isAction = r.method !== 'GET' && r.method !== 'HEAD';
  for (const verdict of [
    checkHost(r.headers, r.port),
    checkOrigin(r.headers, r.port, isAction),
    checkSession(r.headers, r.port, r.hasSession),
    isAction ? checkActionShape(r.method, r.headers) : ({ ok: true } as const),
    isAction && r.readOnly ? refuse(403, 'this console login is read-only (`iapeer console --read-only` or IAPEER_CONSOLE_READ_ONLY): actions are refused') : ({ ok: true } as const),
  ]) {
    if (!verdict.ok) return verdict;
  }
  return { ok: true };
}
