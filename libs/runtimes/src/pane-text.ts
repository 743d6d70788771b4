/**
 * Reading a captured pane the way §6.3 does: the prompt row is the last row whose first
 * character is a prompt glyph of the adapter; the "input area" is that row and every
 * row below it.
 */
const PASTE_MARKERS = ['[Pasted text', '[Image #'];

export function inputArea(pane: string, glyphs: readonly string[]): string | null {
  const rows = pane.split('\n');
  for (let i = rows.length - 1; i >= 0; i--) {
    if (glyphs.some((g) => g.length > 0 && rows[i].startsWith(g))) return rows.slice(i).join('\n');
  }
  return null;
}

/** The last non-empty line of a message: what the input area shows of a plain paste. */
export function lastNonEmptyLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  return lines.length > 0 ? lines[lines.length - 1] : '';
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The pasted text (or a paste placeholder) is in the input area. */
export function showsPaste(pane: string, glyphs: readonly string[], evidence: string): boolean {
  const area = inputArea(pane, glyphs);
  if (area === null) return false;
  if (PASTE_MARKERS.some((m) => area.includes(m))) return true;
  return evidence.length > 0 && squash(area).includes(squash(evidence));
}

/** A prompt row is there and no longer holds the pasted text. */
export function inputCleared(pane: string, glyphs: readonly string[], evidence: string): boolean {
  const area = inputArea(pane, glyphs);
  return area !== null && !showsPaste(pane, glyphs, evidence);
}

/** The last `n` non-empty rows of a pane, for failure reasons (§7.8 "pane tail"). */
export function paneTail(pane: string, n = 2): string {
  return pane.split('\n').map((l) => l.trimEnd()).filter((l) => l.length > 0).slice(-n).join(' | ');
}
