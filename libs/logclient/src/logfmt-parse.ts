/**
 * Reads one logfmt line written by `formatLogfmt` back into key → value strings
 * (quoted values unescaped). Used by logd's `query` filters and by tests.
 */
export function parseLogfmt(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && line[i] === ' ') i++;
    const eq = line.indexOf('=', i);
    if (eq < 0) break;
    const key = line.slice(i, eq);
    i = eq + 1;
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < n && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < n) {
          const c = line[i + 1];
          value += c === 'n' ? '\n' : c === 'r' ? '\r' : c;
          i += 2;
        } else value += line[i++];
      }
      i++; // the closing quote
      out[key] = value;
    } else {
      const end = line.indexOf(' ', i);
      out[key] = line.slice(i, end < 0 ? n : end);
      i = end < 0 ? n : end;
    }
  }
  return out;
}
