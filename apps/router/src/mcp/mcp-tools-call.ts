/**
 * The hot path of the MCP listener: a POST carrying one plain `tools/call` request is
 * answered here, without building an SDK Server, Protocol and web-standard transport for
 * it (bench/send: that machinery was most of what MCP added to a send). Everything else
 * (initialize, tools/list, ping, notifications, batches, task-augmented calls, any request
 * the checks below do not recognise) goes to the SDK's stateless transport as before.
 *
 * The checks are the SDK transport's own, in its order, with its schemas: Accept lists
 * both JSON and SSE (else 406), Content-Type is JSON, a given Mcp-Protocol-Version is a
 * supported one, the body is at most 4 MiB (413) and JSON (400, -32700), the message is a
 * JSON-RPC request and a valid CallToolRequest. A request that fails a header check is
 * handed to the SDK untouched, so its refusal stays the SDK's.
 */
import type http from 'node:http';
import { DEFAULT_MAX_REQUEST_BODY_SIZE, requestBodyTooLargeMessage } from '@modelcontextprotocol/sdk/server/requestBody.js';
import { CallToolRequestSchema, JSONRPCRequestSchema, SUPPORTED_PROTOCOL_VERSIONS, type CallToolResult, type RequestId } from '@modelcontextprotocol/sdk/types.js';

/** What the listener does with a POST to /mcp. */
export type McpPost =
  | { kind: 'sdk'; parsedBody?: unknown } // the SDK transport answers (with the body when it was read here)
  | { kind: 'tools-call'; id: RequestId; name: string; args: unknown }
  | { kind: 'answered' }; // refused here (413 or invalid JSON), exactly as the SDK would

/** The params a plain call may carry; anything else (e.g. `task`) is the SDK's to answer. */
const PLAIN_PARAMS = new Set(['name', 'arguments', '_meta']);

export async function classifyMcpPost(req: http.IncomingMessage, res: http.ServerResponse): Promise<McpPost> {
  const h = req.headers;
  const accept = h.accept;
  // the SDK's own order and checks; one failing leaves the request (body unread) to it
  if (!accept?.includes('application/json') || !accept.includes('text/event-stream')) return { kind: 'sdk' };
  if (h['content-type'] !== 'application/json') return { kind: 'sdk' }; // the literal every client sends; variants: the SDK parses them
  if (Number(h['content-length']) > DEFAULT_MAX_REQUEST_BODY_SIZE) return { kind: 'sdk' };
  const version = h['mcp-protocol-version'];
  if (version !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(String(version))) return { kind: 'sdk' };

  const text = await readBody(req, DEFAULT_MAX_REQUEST_BODY_SIZE);
  if (text === null) {
    jsonError(res, 413, -32000, requestBodyTooLargeMessage(DEFAULT_MAX_REQUEST_BODY_SIZE));
    return { kind: 'answered' };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    jsonError(res, 400, -32700, 'Parse error: Invalid JSON');
    return { kind: 'answered' };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body) || (body as { method?: unknown }).method !== 'tools/call') return { kind: 'sdk', parsedBody: body };
  const params = (body as { params?: unknown }).params;
  if (params && typeof params === 'object' && Object.keys(params).some((k) => !PLAIN_PARAMS.has(k))) return { kind: 'sdk', parsedBody: body };
  const message = JSONRPCRequestSchema.safeParse(body);
  const call = CallToolRequestSchema.safeParse(body);
  if (!message.success || !call.success) return { kind: 'sdk', parsedBody: body };
  return { kind: 'tools-call', id: message.data.id, name: call.data.params.name, args: call.data.params.arguments };
}

/** The JSON-RPC answer to a plain call, as the SDK's JSON-response mode writes it. */
export function answerToolsCall(res: http.ServerResponse, id: RequestId, result: CallToolResult): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ result, jsonrpc: '2.0', id }));
}

function jsonError(res: http.ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

/** The body as text, or null once it is over `maxBytes` (reading stops there). */
function readBody(req: http.IncomingMessage, maxBytes: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off('data', onData);
        req.resume(); // drain the rest unread
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(size > maxBytes ? null : Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}
