import { indexOutsideCdata } from './cdata';

const START = '<iap ';
const END = '</iap>';

/**
 * Streaming splitter (§5.2): the complete envelopes found in `buffer`, in order, and the
 * `rest` to prepend to the next chunk. Text before an envelope is dropped; when no
 * envelope starts, only a tail that could be the beginning of `<iap ` is kept.
 */
export function extractEnvelopes(buffer: string): { envelopes: string[]; rest: string } {
  const envelopes: string[] = [];
  let i = 0;
  for (;;) {
    const start = buffer.indexOf(START, i);
    if (start < 0) return { envelopes, rest: partialStartTail(buffer.slice(i)) };
    const end = indexOutsideCdata(buffer, END, start + START.length);
    if (end < 0) return { envelopes, rest: buffer.slice(start) };
    envelopes.push(buffer.slice(start, end + END.length));
    i = end + END.length;
  }
}

/** The longest suffix of `s` that is a proper prefix of `<iap ` (at most 4 characters). */
function partialStartTail(s: string): string {
  for (let n = Math.min(START.length - 1, s.length); n > 0; n--) {
    if (START.startsWith(s.slice(-n))) return s.slice(-n);
  }
  return '';
}
