/**
 * The MCP listener: Streamable HTTP, stateless, on 127.0.0.1 only, path `/mcp`.
 * A plain `tools/call` is answered directly (mcp-tools-call.ts); every other request gets a
 * fresh SDK Server + transport, closed with the response (§8.2).
 * Every request first passes the DNS-rebinding guard (local Host and Origin only).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { errorMessage } from '@iapeer/core';
import { IAPEER_WELL_KNOWN_PATH, identifyPortHolder, portInUseError, type IapeerIdentityDoc } from '@iapeer/rpc';
import { bearerAccepted, refuseUnauthorized } from './bearer';
import { checkLocalRequest, refuseNonLocal } from './local-origin-guard';
import type { RequestHeaders } from '../caller/caller-authenticator';
import { callTool, createMcpServer, type McpSendHandler } from './mcp-server';
import { answerToolsCall, classifyMcpPost } from './mcp-tools-call';

export const MCP_HOST = '127.0.0.1';
export const MCP_PATH = '/mcp';

export interface McpListenerOptions {
  /** 0 picks a free port (tests); the bound port is in `url`. */
  port: number;
  /** When set, every request needs `Authorization: Bearer <token>` (else 401). */
  bearerToken?: string;
  onSend: McpSendHandler;
  /** Served at GET /.well-known/iapeer, so a second root's `up` can name this one as the port's holder. */
  identity?: Omit<IapeerIdentityDoc, 'service'>;
  /** Internal failures (the caller gets HTTP 500 / -32603). */
  onError?: (err: unknown) => void;
}

export interface McpListener {
  url: string;
  /** The address actually bound (always MCP_HOST). */
  host: string;
  port: number;
  close(): Promise<void>;
}

export async function startMcpListener(opts: McpListenerOptions): Promise<McpListener> {
  let port = -1; // known once bound; no request is accepted before that
  const server = http.createServer((req, res) => {
    void handle(req, res, opts, port);
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      // a taken port is an operator's conflict, not a crash: say who holds it and the fix
      if (err.code === 'EADDRINUSE') void identifyPortHolder(opts.port, MCP_HOST).then((holder) => reject(portInUseError(opts.port, holder, MCP_HOST)));
      else reject(err);
    };
    server.once('error', onError);
    server.listen(opts.port, MCP_HOST, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  port = bound.port;
  return {
    url: `http://${MCP_HOST}:${port}${MCP_PATH}`,
    host: bound.address,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // stateless requests are short; idle keep-alive sockets must not hold the close
        server.closeIdleConnections();
      }),
  };
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, opts: McpListenerOptions, port: number): Promise<void> {
  const local = checkLocalRequest(req.headers, port);
  if (!local.ok) {
    refuseNonLocal(res, local.reason);
    return;
  }
  const pathname = (req.url ?? '').split('?')[0];
  if (pathname === IAPEER_WELL_KNOWN_PATH && req.method === 'GET' && opts.identity) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ service: 'iapeer-router', ...opts.identity } satisfies IapeerIdentityDoc));
    return;
  }
  if (pathname !== MCP_PATH) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32601, message: `not found: the MCP endpoint is ${MCP_PATH}` }, id: null }));
    return;
  }
  if (!bearerAccepted(req, opts.bearerToken)) {
    refuseUnauthorized(res);
    return;
  }
  let parsedBody: unknown;
  if (req.method === 'POST') {
    try {
      const post = await classifyMcpPost(req, res);
      if (post.kind === 'answered') return;
      if (post.kind === 'tools-call') {
        answerToolsCall(res, post.id, await callTool(opts.onSend, post.name, post.args, req.headers as RequestHeaders));
        return;
      }
      parsedBody = post.parsedBody;
    } catch (err) {
      internalError(res, err, opts);
      return;
    }
  }
  const mcp = createMcpServer(opts.onSend);
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => {
    // both are per-request; closing twice or after an error is harmless
    void transport.close().catch(() => undefined);
    void mcp.close().catch(() => undefined);
  });
  try {
    await mcp.connect(transport);
    await transport.handleRequest(req, res, parsedBody);
  } catch (err) {
    internalError(res, err, opts);
  }
}

function internalError(res: http.ServerResponse, err: unknown, opts: McpListenerOptions): void {
  opts.onError?.(err);
  if (!res.headersSent) {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: `internal error: ${errorMessage(err)}` }, id: null }));
  }
}
