/**
 * The one MCP tool (docs/behaviour.md §9): `send_to_peer`, with its JSON Schema, metadata
 * and annotations. The description carries no peer roster (that lives in the
 * system prompt: a roster here would cost every agent context on every turn).
 */
import { HOST_NAME_RE, MAX_ATTACHMENTS, MAX_MESSAGE_LEN, MAX_TOPIC_LEN, PERSONALITY_RE, RUNTIME_RE } from '@iapeer/core';

/** A peer name, optionally `@host` for a peer on another host of the fleet (docs/fleet.md). */
const TARGET_PATTERN = `${PERSONALITY_RE.source.slice(0, -1)}(@${HOST_NAME_RE.source.slice(1, -1)})?$`;
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

export const SEND_TO_PEER = 'send_to_peer';

/** The MCP tool takes exactly §9's properties (no idempotencyKey: that is the CLI/tRPC `send`). */
export const MCP_SEND_FIELDS = ['personality', 'runtime', 'message', 'topic', 'attachments'] as const;

export const SEND_TO_PEER_DESCRIPTION = [
  'Send a message to another IAP peer (an agent, a human or a service on this host) by its name.',
  'The message lands in the peer\'s live session; a peer that is asleep is woken and gets it as its first message.',
  '`personality` is the peer\'s name, e.g. "boris" — never a runtime-prefixed identity such as "claude-boris".',
  '`runtime` is optional: name it only to reach one specific runtime of the peer (an asleep declared runtime is woken, which may start a parallel session).',
  '`topic` is a short thread label; `attachments` are absolute paths of files the peer should read.',
  'Messages from peers reach you as <iap from-personality="…" from-runtime="…" …> blocks holding <message>; answer them with this tool.',
  'The result says where the message landed ({ok, delivered_to, woke, ts}); an error means it was NOT delivered, and its structured content says why ({ok:false, code, error}).',
  'A result with queued:true was accepted but waits (queueDepth, and a note saying why: a human typing in the peer\'s input row, or a dialog on its screen); it lands by itself, and if it cannot you get a "delivery failed" message from iapeer.',
].join(' ');

export const SEND_TO_PEER_TOOL: Tool = {
  name: SEND_TO_PEER,
  title: 'Send to IAP peer',
  description: SEND_TO_PEER_DESCRIPTION,
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['personality', 'message'],
    properties: {
      personality: { type: 'string', pattern: TARGET_PATTERN, description: 'The target peer\'s name (not a runtime-prefixed identity); `name@host` for a peer on another host.' },
      runtime: { type: 'string', pattern: RUNTIME_RE.source, description: 'Optional runtime of the target, e.g. "claude" or "codex".' },
      message: { type: 'string', minLength: 1, maxLength: MAX_MESSAGE_LEN, description: 'The message text.' },
      topic: { type: 'string', maxLength: MAX_TOPIC_LEN, description: 'Optional short topic of the conversation.' },
      attachments: { type: 'array', items: { type: 'string' }, maxItems: MAX_ATTACHMENTS, description: 'Optional absolute file paths.' },
    },
  },
  annotations: { title: 'Send to IAP peer', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  _meta: { 'anthropic/alwaysLoad': true },
};
