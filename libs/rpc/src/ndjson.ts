/**
 * NDJSON framing of the rpc protocol: one JSON object per line.
 *
 * The frame limits, in characters of one NDJSON line (UTF-16 units: 1–3 bytes of UTF-8
 * each, so memory per connection stays bounded however the bytes arrive).
 * - A call: 8 Mi. The largest legitimate calls are logd batches, which the log sender
 *   caps at 1 Mi characters; a message is at most 16 000 characters.
 * - An answer: 64 Mi. A logd query may return up to 100 000 lines.
 * What happens to a bad line (docs/notes/rpc-frames.md):
 * - too long, or the wrong shape, with a readable id: that one call is answered (server)
 *   or failed (client) with BAD_FRAME, and the connection goes on;
 * - no readable id (not JSON, not an object): the connection is closed; a client fails
 *   every call in flight on it with BAD_FRAME and reconnects on the next call.
 * A client refuses to send a call over the limit (BAD_FRAME) before it reaches the wire.
 */
export const MAX_CALL_FRAME_CHARS = 8 * 1024 * 1024;
export const MAX_ANSWER_FRAME_CHARS = 64 * 1024 * 1024;

/** How much of a too-long line the splitter hands over: enough to read its id. */
const TOO_LONG_PREFIX = 64;

/**
 * Splits a utf8 stream into lines; `push` returns the complete, non-empty lines seen so
 * far. A line longer than `maxLineChars` is never buffered whole: its first characters go
 * to `onTooLong` (so the reader can answer its id) and the rest is dropped up to its
 * newline, after which splitting resumes; memory stays within the limit.
 */
export class LineSplitter {
  private rest = '';
  private skipping = false;

  constructor(
    private readonly maxLineChars: number = Infinity,
    private readonly onTooLong: (prefix: string) => void = () => undefined,
  ) {}

  push(chunk: string): string[] {
    if (this.skipping) {
      const nl = chunk.indexOf('\n');
      if (nl === -1) return [];
      this.skipping = false;
      chunk = chunk.slice(nl + 1);
    }
    if (chunk.indexOf('\n') === -1) {
      // a big frame arriving in pieces: append (a rope, no copy) and do not rescan `rest`
      this.rest += chunk;
      if (this.rest.length > this.maxLineChars) this.overflow();
      return [];
    }
    const lines = (this.rest + chunk).split('\n');
    this.rest = lines.pop() ?? '';
    const out: string[] = [];
    for (const l of lines) {
      if (l.length > this.maxLineChars) this.onTooLong(l.slice(0, TOO_LONG_PREFIX));
      else if (l.length > 0) out.push(l);
    }
    if (this.rest.length > this.maxLineChars) this.overflow();
    return out;
  }

  private overflow(): void {
    const prefix = this.rest.slice(0, TOO_LONG_PREFIX);
    this.rest = '';
    this.skipping = true;
    this.onTooLong(prefix);
  }
}

/** The id at the start of a frame our writers produced (`{"id":N,…`), if it is there. */
export function readFrameId(prefix: string): number | undefined {
  const m = /^\s*\{\s*"id"\s*:\s*(\d{1,15})\s*[,}]/.exec(prefix);
  return m ? Number(m[1]) : undefined;
}

/** One frame on the wire: a request, a stop, or a response (tRPC's own envelope plus `id`). */
export type RequestFrame =
  | { id: number; type: 'query' | 'mutation' | 'subscription'; path: string; input?: unknown }
  | { id: number; type: 'stop' };

export type ResponseFrame =
  | { id: number; result: { type: 'data'; data: unknown } | { type: 'started' } | { type: 'stopped' } }
  | { id: number; error: unknown };

const CALL_TYPES = new Set(['query', 'mutation', 'subscription']);
const RESULT_TYPES = new Set(['data', 'started', 'stopped']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** What a server got: a frame, a line with a readable id but a wrong shape, or garbage. */
export type ParsedRequest = { kind: 'frame'; frame: RequestFrame } | { kind: 'malformed'; id: number; reason: string } | { kind: 'garbage'; reason: string };

export function parseRequestLine(line: string): ParsedRequest {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { kind: 'garbage', reason: 'not JSON' };
  }
  if (!isRecord(v) || !isId(v.id)) return { kind: 'garbage', reason: 'no numeric id' };
  if (v.type === 'stop') return { kind: 'frame', frame: { id: v.id, type: 'stop' } };
  if (typeof v.type !== 'string' || !CALL_TYPES.has(v.type)) return { kind: 'malformed', id: v.id, reason: `type must be query, mutation, subscription or stop` };
  if (typeof v.path !== 'string' || v.path.length === 0 || v.path.length > 200) return { kind: 'malformed', id: v.id, reason: 'path must be a procedure name' };
  // the parsed object itself (no copy on the hot path): its id, type and path are checked
  return { kind: 'frame', frame: v as RequestFrame };
}

/** What a client got: a frame, a line with a readable id but a wrong shape, or garbage. */
export type ParsedResponse = { kind: 'frame'; frame: ResponseFrame } | { kind: 'malformed'; id: number; reason: string } | { kind: 'garbage'; reason: string };

export function parseResponseLine(line: string): ParsedResponse {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { kind: 'garbage', reason: 'not JSON' };
  }
  if (!isRecord(v) || !isId(v.id)) return { kind: 'garbage', reason: 'no numeric id' };
  if ('error' in v) return { kind: 'frame', frame: v as ResponseFrame };
  const result = v.result;
  if (!isRecord(result) || typeof result.type !== 'string' || !RESULT_TYPES.has(result.type)) return { kind: 'malformed', id: v.id, reason: 'neither a result nor an error' };
  return { kind: 'frame', frame: v as ResponseFrame };
}
