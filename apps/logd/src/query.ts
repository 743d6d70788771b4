import type { QueryInput, QueryResult } from '@iapeer/contracts';
import { parseLogfmt } from '@iapeer/logclient';
import { isEventLog, type LogStore } from './log-store';
import { readLines } from './read-range';

const DEFAULT_N = 100;
/** Fields that name a peer in lifecycle, delivery and service lines. */
const PEER_FIELDS = ['identity', 'personality', 'caller', 'to', 'via', 'peer'] as const;

type Fields = Record<string, unknown>;

/** The last N lines of a log that pass the filters, oldest first, plus the end position for a `tail`. */
export function queryLog(store: LogStore, input: QueryInput): QueryResult {
  const file = store.file(input.log);
  const n = input.n ?? DEFAULT_N;
  const match = buildMatcher(input, isEventLog(input.log));
  const out: string[] = [];
  const segments = file.segments();
  for (let s = segments.length - 1; s >= 0 && out.length < n; s--) {
    const lines = readLines(segments[s].file);
    for (let i = lines.length - 1; i >= 0 && out.length < n; i--) if (match(lines[i])) out.push(lines[i]);
  }
  return { lines: out.reverse(), end: file.end() };
}

/** The filter of `query` and `tail`: ev, peer (identity and related fields), time range. */
export function buildMatcher(q: Pick<QueryInput, 'ev' | 'identity' | 'since' | 'until'>, logfmt: boolean): (line: string) => boolean {
  const since = q.since ? Date.parse(q.since) : undefined;
  const until = q.until ? Date.parse(q.until) : undefined;
  if (!q.ev && !q.identity && since === undefined && until === undefined) return () => true;
  return (line) => {
    // cheap pre-checks before parsing
    if (q.ev && !line.includes(q.ev)) return false;
    if (q.identity && !line.includes(q.identity)) return false;
    const f = logfmt ? parseLogfmt(line) : parseJson(line);
    if (!f) return false;
    if (q.ev && f.ev !== q.ev) return false;
    if (q.identity && !PEER_FIELDS.some((k) => isPeer(f[k], q.identity!))) return false;
    if (since !== undefined || until !== undefined) {
      const t = timeOf(f);
      if (t === undefined || (since !== undefined && t < since) || (until !== undefined && t > until)) return false;
    }
    return true;
  };
}

/** `--peer boris` matches boris and claude-boris-style identities of it (`<runtime>-boris`). */
function isPeer(value: unknown, peer: string): boolean {
  return typeof value === 'string' && (value === peer || value.endsWith(`-${peer}`));
}

function timeOf(f: Fields): number | undefined {
  if (typeof f.ts === 'string') return Date.parse(f.ts);
  if (typeof f.time === 'number') return f.time; // pino
  return undefined;
}

function parseJson(line: string): Fields | undefined {
  try {
    const v = JSON.parse(line) as unknown;
    return v && typeof v === 'object' ? (v as Fields) : undefined;
  } catch {
    return undefined; // not a JSON line: it cannot match a field filter
  }
}
