/** A CDATA section that holds any text: a literal `]]>` is split across two sections (§5.1). */
export function wrapCdata(text: string): string {
  return `<![CDATA[${text.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

const OPEN = '<![CDATA[';
const CLOSE = ']]>';

/**
 * Scans `src` from `from` and returns the index of `needle` outside any CDATA section,
 * or -1. A `</message>` or `</iap>` inside CDATA never ends a block (§5.2).
 */
export function indexOutsideCdata(src: string, needle: string, from = 0): number {
  let i = from;
  for (;;) {
    const hit = src.indexOf(needle, i);
    const cdata = src.indexOf(OPEN, i);
    if (hit < 0) return -1;
    if (cdata < 0 || hit < cdata) return hit;
    const close = src.indexOf(CLOSE, cdata + OPEN.length);
    if (close < 0) return -1;
    i = close + CLOSE.length;
  }
}

/** The text of the adjacent CDATA sections in `inner` (whitespace between them ignored). */
export function readCdataRun(inner: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    while (i < inner.length && /\s/.test(inner[i])) i++;
    if (i >= inner.length) return out;
    if (!inner.startsWith(OPEN, i)) {
      // Plain text outside CDATA (hand-written envelopes): taken as is.
      const next = inner.indexOf(OPEN, i);
      out += next < 0 ? inner.slice(i) : inner.slice(i, next);
      if (next < 0) return out;
      i = next;
      continue;
    }
    const close = inner.indexOf(CLOSE, i + OPEN.length);
    if (close < 0) return out + inner.slice(i + OPEN.length);
    out += inner.slice(i + OPEN.length, close);
    i = close + CLOSE.length;
  }
}
