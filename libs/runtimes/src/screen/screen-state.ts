/**
 * What a runtime's screen says about its agent (docs/behaviour.md §6.4), read from one
 * capture. The supervisor adds what a screen cannot show (dead, booting, held) to make
 * the session's activity state; the router reads it right before a paste.
 *
 * - `waiting`: a dialog, approval or question is on screen: a paste would answer it.
 * - `busy`: the agent is working (its busy indicator is on screen).
 * - `ready`: the input row is there and empty (ghost placeholders count as empty).
 * - `unknown`: none of these for sure (a half-drawn screen, text in the input row, a
 *   screen the adapter does not know): never guessed.
 */
export type ScreenState = 'ready' | 'busy' | 'waiting' | 'unknown';

export interface ScreenReading {
  state: ScreenState;
  /** The input row's text without ghost placeholders ('' = empty); null when no input row is on screen. */
  composer: string | null;
  /** Which rule decided (for logs and `unknown` explanations). */
  why: string;
}

/** How one runtime's screen is read; every adapter declares these. */
export interface ScreenRules {
  /** A dialog / approval / question a paste would answer. */
  waiting: readonly { name: string; match: RegExp }[];
  /** The agent is working. */
  busy: readonly { name: string; match: RegExp }[];
  /** The input row is on screen and takes input. */
  isInputReady(pane: string): boolean;
  /** The input row's text, ghost placeholders removed; null when there is none. */
  composer(pane: string): string | null;
}

/** Waiting beats busy beats ready: a paste into a dialog answers it whatever else shows. */
export function readScreenWith(rules: ScreenRules, pane: string): ScreenReading {
  const composer = rules.composer(pane);
  for (const w of rules.waiting) if (w.match.test(pane)) return { state: 'waiting', composer, why: w.name };
  for (const b of rules.busy) if (b.match.test(pane)) return { state: 'busy', composer, why: b.name };
  if (!rules.isInputReady(pane)) return { state: 'unknown', composer, why: 'no input row taking input' };
  if (composer === null) return { state: 'unknown', composer, why: 'no input row' };
  if (composer !== '') return { state: 'unknown', composer, why: 'input row holds text' };
  return { state: 'ready', composer, why: 'input row empty' };
}

/**
 * The text of the LAST row that starts with `glyph` (the input row sits below the
 * transcript, which may echo earlier prompts with the same glyph), plus the indented
 * rows under it up to a blank or rule row (a multi-line input). `skip` rejects rows
 * that look like the input row but are not (a menu cursor `› 1.`).
 */
export function composerAfterGlyph(pane: string, glyph: string, opts: { skip?: RegExp; ghosts?: readonly RegExp[] } = {}): string | null {
  const rows = pane.split('\n');
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i];
    if (!row.startsWith(glyph)) continue;
    if (opts.skip?.test(row)) continue;
    const parts = [row.slice(glyph.length).trim()];
    for (let j = i + 1; j < rows.length; j++) {
      const next = rows[j];
      if (!/^ {2}\S/.test(next) || /^\s*[─━]{3,}/.test(next)) break;
      parts.push(next.trim());
    }
    const text = parts.join('\n').trim();
    if (opts.ghosts?.some((g) => g.test(text))) return '';
    return text;
  }
  return null;
}

/** The adapter's reading of one capture; a runtime without rules always reads `unknown`. */
export function readScreen(adapter: { screen?: ScreenRules }, pane: string): ScreenReading {
  if (!adapter.screen) return { state: 'unknown', composer: null, why: 'runtime declares no screen rules' };
  return readScreenWith(adapter.screen, pane);
}

/** The screen plus who is at the terminal: what a paste would run into (§6.4). */
export type SessionScreenState = ScreenState | 'held';

/**
 * A dialog wins (a paste would answer it, whoever is there); then a human with text in
 * the input row (`held`: a paste would mix into what they type); then the screen.
 */
export function combineWithHumans(screen: ScreenReading, humans: number): { state: SessionScreenState; why: string } {
  if (screen.state === 'waiting') return { state: 'waiting', why: screen.why };
  if (humans > 0 && screen.composer) return { state: 'held', why: 'a human is attached with text in the input row' };
  return { state: screen.state, why: screen.why };
}
