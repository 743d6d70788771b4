import { parseIndex } from './parse-index';
import type { StoredPeer } from './peer-record';

/**
 * The records a damaged registry text still holds whole: every complete `{…}` element of
 * its `peers` array, read with the normal record rules. A file cut anywhere (a truncation,
 * a torn copy) keeps the records before the cut; a record cut in half is lost here and
 * must come from another source (the previous generation, memory, the profiles).
 */
export function salvageRecords(text: string | null): StoredPeer[] {
  if (!text) return [];
  const start = /"peers"\s*:\s*\[/.exec(text);
  if (!start) return [];
  const out: StoredPeer[] = [];
  let i = start.index + start[0].length;
  for (;;) {
    const open = text.indexOf('{', i);
    if (open < 0) break;
    const close = matchingBrace(text, open);
    if (close < 0) break; // the cut is inside this record
    const parsed = parseIndex(`{"peers":[${text.slice(open, close + 1)}]}`);
    out.push(...parsed.index.peers.values());
    i = close + 1;
  }
  return out;
}

/** Index of the `}` closing the `{` at `open`, skipping strings; -1 when the text ends first. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}
