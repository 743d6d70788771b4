/**
 * §5.3 validation of a send request, on untrusted input (MCP arguments arrive as
 * raw JSON). Every problem is a SEND_REJECTED error naming the field, the value's
 * size or shape, and the limit; nothing has happened yet when it throws.
 */
import { MAX_ATTACHMENTS, MAX_MESSAGE_LEN, MAX_TOPIC_LEN, PERSONALITY_RE, RUNTIME_RE } from '@iapeer/core';
import { sendErrors } from './send-errors';

export interface SendRequest {
  personality: string;
  runtime?: string;
  message: string;
  topic?: string;
  attachments?: string[];
  /** Retries with the same key within 10 minutes return the first result (never deliver twice). */
  idempotencyKey?: string;
  /** A remote send to a host that is down is held in the fleet stream (docs/fleet.md). */
  queue?: boolean;
}

export const SEND_FIELDS = ['personality', 'runtime', 'message', 'topic', 'attachments', 'idempotencyKey', 'queue'] as const;
export const MAX_IDEMPOTENCY_KEY_LEN = 200;

/** Length in characters (code points), as JSON Schema's maxLength counts them. */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

const isString = (v: unknown): v is string => typeof v === 'string';

/** Returns the request with optional fields omitted when absent; throws on the first problem. */
export function validateSend(raw: unknown, allowed: readonly string[] = SEND_FIELDS): SendRequest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw sendErrors.invalid('the send arguments must be an object');
  const input = raw as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!allowed.includes(key)) throw sendErrors.invalid(`unknown field "${key}" (allowed: ${allowed.join(', ')})`);
  }
  const { personality, runtime, message, topic, attachments, idempotencyKey, queue } = input;

  if (personality === undefined || personality === '') throw sendErrors.invalid('personality is required: the target peer\'s name, e.g. "boris"');
  if (!isString(personality) || !PERSONALITY_RE.test(personality)) {
    throw sendErrors.invalid(
      `invalid personality ${JSON.stringify(personality)}: expected ^[a-z][a-z0-9-]{0,31}$ — use the peer's name, not a runtime-prefixed identity`,
    );
  }
  if (runtime !== undefined && (!isString(runtime) || !RUNTIME_RE.test(runtime))) {
    throw sendErrors.invalid(`invalid runtime ${JSON.stringify(runtime)}: expected ^[a-z][a-z0-9]{0,31}$ (no dashes), e.g. "claude"`);
  }
  if (message === undefined || message === '') throw sendErrors.invalid('message is empty');
  if (!isString(message)) throw sendErrors.invalid(`message must be a string, got ${typeof message}`);
  const messageLen = charLength(message);
  if (messageLen > MAX_MESSAGE_LEN) throw sendErrors.invalid(`message is ${messageLen} characters; at most ${MAX_MESSAGE_LEN} allowed`);
  if (topic !== undefined) {
    if (!isString(topic)) throw sendErrors.invalid(`topic must be a string, got ${typeof topic}`);
    const topicLen = charLength(topic);
    if (topicLen > MAX_TOPIC_LEN) throw sendErrors.invalid(`topic is ${topicLen} characters; at most ${MAX_TOPIC_LEN} allowed`);
  }
  if (attachments !== undefined) validateAttachments(attachments);
  if (idempotencyKey !== undefined) validateIdempotencyKey(idempotencyKey);
  if (queue !== undefined && typeof queue !== 'boolean') throw sendErrors.invalid(`queue must be a boolean, got ${typeof queue}`);

  const req: SendRequest = { personality, message };
  if (runtime !== undefined) req.runtime = runtime as string;
  if (topic !== undefined) req.topic = topic as string;
  if (attachments !== undefined) req.attachments = attachments as string[];
  if (idempotencyKey !== undefined) req.idempotencyKey = idempotencyKey as string;
  if (queue === true) req.queue = true;
  return req;
}

function validateAttachments(attachments: unknown): void {
  if (!Array.isArray(attachments)) throw sendErrors.invalid(`attachments must be an array of absolute paths, got ${typeof attachments}`);
  if (attachments.length > MAX_ATTACHMENTS) throw sendErrors.invalid(`${attachments.length} attachments; at most ${MAX_ATTACHMENTS} allowed`);
  attachments.forEach((a, i) => {
    if (!isString(a)) throw sendErrors.invalid(`attachment ${i + 1} must be a string path, got ${typeof a}`);
    if (/[\r\n]/.test(a)) throw sendErrors.invalid(`attachment ${i + 1} contains a CR or LF; paths must be one line`);
    if (!a.startsWith('/')) throw sendErrors.invalid(`attachment ${i + 1} ${JSON.stringify(a)} is not an absolute path (it must start with /)`);
  });
}

function validateIdempotencyKey(key: unknown): void {
  if (!isString(key) || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LEN || /[\u0000-\u001f]/.test(key)) {
    throw sendErrors.invalid(`idempotencyKey must be 1 to ${MAX_IDEMPOTENCY_KEY_LEN} printable characters, got ${JSON.stringify(key)}`);
  }
}
