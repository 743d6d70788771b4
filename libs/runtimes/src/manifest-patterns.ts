import { patternExamples } from './pattern-examples';

/**
 * Manifest patterns that cannot work are refused at load (docs/behaviour.md §7.8
 * "Manifest patterns"), instead of a wake that waits out its whole boot deadline:
 *
 * - one that matches an empty screen holds before the agent has drawn anything;
 * - one whose every match needs whitespace at a row end: tmux trims the trailing
 *   spaces of every captured row, so `^❯ ` never sees an empty input row (`❯ ` is
 *   captured as `❯`) and matches only where the row goes on with text it does not name.
 *
 * The second is judged on the pattern's shortest shapes (pattern-examples.ts): refused
 * when every one the RegExp matches stops matching once its rows are trimmed. A pattern
 * whose shapes cannot be listed is not refused (no guess).
 */

/** A 220x50 pane with nothing drawn, as capture-pane prints it. */
const EMPTY_SCREEN = '\n'.repeat(50);
const TRIMS = 'tmux trims the trailing spaces of every pane row';
/** Trailing whitespace atoms (with a quantifier and `$`) a fix can drop. */
const TRAILING_WS = /(?:\\s|\\t|\\x20| |\[[ \\t]+\])(?:[+*?]|\{\d*,?\d*\})?\$?$/;

/** What capture-pane makes of a text: no row ends in spaces or tabs. */
export function trimRows(text: string): string {
  return text.replace(/[ \t]+(?=\n|$)/g, '');
}

/** Why `source` cannot work as a manifest pattern, with the fix; null when it can. */
export function unworkablePattern(source: string): string | null {
  const re = new RegExp(source, 'm');
  const quoted = JSON.stringify(source);
  if (re.test('') || re.test(EMPTY_SCREEN)) {
    return `pattern ${quoted} matches an empty screen, so it holds before the agent has drawn anything; require text the agent draws (its prompt glyph, a footer)`;
  }
  const examples = patternExamples(source);
  if (!examples) return null;
  const matched = examples.filter((e) => re.test(e));
  if (matched.length === 0 || matched.some((e) => re.test(trimRows(e)))) return null;
  const shape = matched[0];
  if (!/[ \t]$/.test(shape)) {
    return `pattern ${quoted} requires whitespace at the end of a row (it matches ${JSON.stringify(shape)}), but ${TRIMS}, so it can never match; remove the whitespace before the row end`;
  }
  // `> $`: the whitespace is pinned to the row end, where it never is.
  if (/[^\\]\$$/.test(source)) {
    const fixed = source.replace(TRAILING_WS, '$');
    const fix = fixed !== source && fixed !== '$' ? `drop the whitespace before the $ (${JSON.stringify(fixed)})` : 'drop the whitespace before the $';
    return `pattern ${quoted} requires whitespace at the end of a row (it matches ${JSON.stringify(shape)}), but ${TRIMS}, so it can never match; ${fix}`;
  }
  const dropped = source.replace(TRAILING_WS, '');
  const fix =
    dropped !== source && dropped.length > 0
      ? `drop the trailing whitespace (${JSON.stringify(dropped)}) or name what follows it (${JSON.stringify(`${dropped} \\S`)})`
      : 'end it with what must follow the whitespace (such as \\S), or drop the whitespace';
  return `pattern ${quoted} ends in whitespace (it matches ${JSON.stringify(shape)}), but ${TRIMS}: it never matches a row that ends there (an empty input row "❯ " is captured as "❯") and matches only where the row goes on with text it does not name; ${fix}`;
}
