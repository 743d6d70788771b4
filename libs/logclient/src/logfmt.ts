import type { EventFields } from './event-log';

/** A value needs quotes when it is empty or holds whitespace, `"` or `=` (docs/behaviour.md §7.9). */
const NEEDS_QUOTES = /[\s"=]/;

/**
 * One logfmt value: numbers and booleans bare, strings bare unless they hold
 * whitespace, `"` or `=`; inside quotes `\` and `"` are escaped; `""` for the empty
 * string. A newline is whitespace, so it is quoted and escaped as `\n`: a value can
 * never split a line.
 */
export function formatLogfmtValue(value: string | number | boolean | null): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (value === '') return '""';
  if (!NEEDS_QUOTES.test(value)) return value;
  return `"${value.replace(/[\\"\n\r]/g, escapeChar)}"`;
}

function escapeChar(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  return `\\${c}`;
}

/** A field name is kept only if it is a plain token; anything else would break the line. */
const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const goodKeys = new Set<string>();

function isPlainKey(key: string): boolean {
  if (goodKeys.has(key)) return true;
  if (key === 'ts' || !KEY.test(key)) return false;
  if (goodKeys.size < 1000) goodKeys.add(key); // field names are few; the cache saves a regex per field
  return true;
}

function appendFields(line: string, fields: EventFields): string {
  for (const key in fields) {
    const value = fields[key];
    if (value === undefined || !isPlainKey(key)) continue;
    line += ` ${key}=${formatLogfmtValue(value)}`;
  }
  return line;
}

/**
 * The §7.9 line: `ts=<ISO>` first, then the fields in insertion order, `undefined`
 * fields skipped (and a caller's own `ts` field). `extra` fields (repeated=, dropped=) go last.
 * @example formatLogfmt('2026-01-01T00:00:00.000Z', { ev: 'wake', reason: 'a b' }) // 'ts=… ev=wake reason="a b"'
 */
export function formatLogfmt(tsIso: string, fields: EventFields, extra?: EventFields): string {
  const line = appendFields(`ts=${tsIso}`, fields);
  return extra ? appendFields(line, extra) : line;
}

let lastMs = NaN;
let lastIso = '';
/** ISO time of an epoch ms; events of one millisecond share the string. */
export function isoOf(ms: number): string {
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
