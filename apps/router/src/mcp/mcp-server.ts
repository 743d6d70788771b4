/**
 * One MCP `Server` per HTTP request (stateless, §8.2): lists exactly `send_to_peer`
 * and routes calls to it with the request's headers (the caller's identity).
 */
import { errorMessage, findIapeerError, type ErrorCode } from '@iapeer/core';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { RequestHeaders } from '../caller/caller-authenticator';
import type { RouteResult } from '../send/route-send';
import { SEND_TO_PEER, SEND_TO_PEER_TOOL } from './send-to-peer-tool';

export type McpSendHandler = (headers: RequestHeaders, args: unknown) => Promise<RouteResult>;

/** Server info of §8.2: `{name:"iapeer", version:"0.0.0"}`, tools only, no instructions. */
export const MCP_SERVER_INFO = { name: 'iapeer', version: '0.0.0' };

/**
 * One JSON Schema validator for every per-request Server. Without it each `new Server()`
 * compiles a fresh Ajv instance (meta-schemas, vocabularies): ~20% of the router's CPU per
 * MCP request in a profile (docs/notes/router-e2e.md). The server never elicits, so the
 * validator holds no per-request state.
 */
let sharedValidator: AjvJsonSchemaValidator | undefined;

export function createMcpServer(onSend: McpSendHandler): Server {
  sharedValidator ??= new AjvJsonSchemaValidator();
  const server = new Server(MCP_SERVER_INFO, { capabilities: { tools: {} }, jsonSchemaValidator: sharedValidator });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [SEND_TO_PEER_TOOL] }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) =>
    callTool(onSend, request.params.name, request.params.arguments, (extra.requestInfo?.headers ?? {}) as RequestHeaders),
  );
  return server;
}

/**
 * One `tools/call`, whichever path carried it (the per-request Server above, or the
 * listener's direct answer to a plain call, mcp-tools-call.ts). Never throws: a refusal is
 * a tool result with isError (§9).
 */
export async function callTool(onSend: McpSendHandler, name: string, args: unknown, headers: RequestHeaders): Promise<CallToolResult> {
  if (name !== SEND_TO_PEER) return failure(`unknown tool: ${name}`);
  try {
    const result = await onSend(headers, args);
    return { content: [{ type: 'text', text: JSON.stringify(result, null, 2) }], structuredContent: { ...result } };
  } catch (err) {
    // the plain message is the text (§9); the stable code rides along for programs
    return failure(errorMessage(err), findIapeerError(err)?.code ?? 'INTERNAL');
  }
}

/** The failure shape: `{ok:false, code, error}` beside the text, so the code crosses this hop unchanged too. */
function failure(text: string, code?: ErrorCode): CallToolResult {
  const result: CallToolResult = { isError: true, content: [{ type: 'text', text }] };
  if (code) result.structuredContent = { ok: false, code, error: text };
  return result;
}
