import type { EventFields } from './event-log';

/** A value needs quotes when it is empty or holds whitespace, `"` or `=` (BEHAVIOUR §7.9). */
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

/**
 * The §7.9 line: `ts=<ISO>` first, then the fields in insertion order, `undefined`
 * fields skipped. `extra` fields (repeated=, dropped=) go last.
 * @example formatLogfmt('2026-01-01T00:00:00.000Z', { ev: 'wake', reason: 'a b' }) // 'ts=… ev=wake reason="a b"'
 */
export function formatLogfmt(tsIso: string, fields: EventFields, extra?: EventFields): string {
  let line = `ts=${tsIso}`;
  for (const source of extra ? [fields, extra] : [fields]) {
    for (const key in source) {
      const value = source[key];
      if (value === undefined || key === 'ts' || !KEY.test(key)) continue;
      line += ` ${key}=${formatLogfmtValue(value)}`;
    }
  }
  return line;
}
