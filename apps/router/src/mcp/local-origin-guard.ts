/**
 * DNS-rebinding guard (issue 9 item 2). The listener is bound to 127.0.0.1, but a web
 * page the user opens can still reach it through a hostname that resolves to 127.0.0.1
 * (rebinding) or by a cross-origin fetch. Browsers always send the name they used in
 * `Host` and their page's `Origin`, so we answer only requests that name this machine:
 * Host `127.0.0.1|localhost|[::1]` with our port, and no Origin or a local http one.
 * Agents (claude, codex) are not browsers and send no Origin.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const LOCAL_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

export type GuardVerdict = { ok: true } | { ok: false; reason: string };

/** `host[:port]` → the lowercased hostname and the port text ('' when absent). */
function splitHostPort(value: string): { hostname: string; port: string } {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(value.trim());
  if (!m) return { hostname: '', port: '' };
  return { hostname: m[1].toLowerCase(), port: m[2] ?? '' };
}

export function checkLocalRequest(headers: IncomingMessage['headers'], port: number): GuardVerdict {
  const host = headers.host;
  if (!host) return { ok: false, reason: 'no Host header' };
  const h = splitHostPort(host);
  if (!LOCAL_HOSTNAMES.has(h.hostname) || h.port !== String(port)) {
    return { ok: false, reason: `Host ${JSON.stringify(host)} is not local (expected 127.0.0.1:${port}, localhost:${port} or [::1]:${port})` };
  }
  const origin = headers.origin;
  if (origin === undefined) return { ok: true };
  let url: URL | undefined;
  try {
    url = new URL(origin);
  } catch {
    // "null" (sandboxed frames, file://) and garbage are not a local origin
  }
  if (!url || url.protocol !== 'http:' || !LOCAL_HOSTNAMES.has(url.hostname.toLowerCase()) || url.pathname !== '/') {
    return { ok: false, reason: `Origin ${JSON.stringify(origin)} is not local (expected http://127.0.0.1, http://localhost or http://[::1], any port)` };
  }
  return { ok: true };
}

/** HTTP 403 with a JSON-RPC error that says what was refused and why. */
export function refuseNonLocal(res: ServerResponse, reason: string): void {
  res.writeHead(403, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      jsonrpc: '2.0',
      error: { code: -32000, message: `forbidden: ${reason}; the iapeer MCP endpoint answers only local callers (DNS-rebinding guard)` },
      id: null,
    }),
  );
}
