import { trimRows, unworkablePattern } from './manifest-patterns';
import { patternExamples } from './pattern-examples';

describe('manifest patterns that cannot work on a captured pane (§7.8)', () => {
  it.each([
    ['^❯ ', 'ends in whitespace (it matches "❯ ")', 'drop the trailing whitespace ("^❯") or name what follows it ("^❯ \\\\S")'],
    ['^[❯>] ', 'ends in whitespace', 'drop the trailing whitespace ("^[❯>]")'],
    ['^\\s+❯ \\d+\\. ', 'ends in whitespace', 'drop the trailing whitespace ("^\\\\s+❯ \\\\d+\\\\.")'],
    ['^❯ {2,}', 'ends in whitespace', 'drop the trailing whitespace ("^❯")'],
    ['^› (?!\\d+\\.)', 'ends in whitespace', 'end it with what must follow the whitespace (such as \\S)'],
    ['> $', 'requires whitespace at the end of a row (it matches "> ")', 'so it can never match; drop the whitespace before the $ (">$")'],
    ['x\\t$', 'requires whitespace at the end of a row', 'drop the whitespace before the $ ("x$")'],
    ['foo \\nbar', 'requires whitespace at the end of a row (it matches "foo \\nbar")', 'so it can never match; remove the whitespace before the row end'],
  ])('%j is refused: it needs whitespace at a row end, which tmux trims', (pattern, why, fix) => {
    const msg = unworkablePattern(pattern);
    expect(msg).toContain(`pattern ${JSON.stringify(pattern)} `);
    expect(msg).toContain(why);
    expect(msg).toContain('tmux trims the trailing spaces of every pane row');
    expect(msg).toContain(fix);
  });

  it.each(['^\\s*$', '.*', 'x?', '^', '$', '(?:)', '\\n*'])('%j is refused: it matches an empty screen', (pattern) => {
    expect(unworkablePattern(pattern)).toBe(`pattern ${JSON.stringify(pattern)} matches an empty screen, so it holds before the agent has drawn anything; require text the agent draws (its prompt glyph, a footer)`);
  });

  it.each([
    '^❯',
    '^❯(\\s|$)',
    '^❯ *$',
    '^❯ \\S',
    '^> (?=\\S)',
    '❯\\s',
    '^> [^\\n]*',
    'a|b ', // one alternative works
    'esc to interrupt',
    'bypass permissions on',
    'Do you trust the files in this folder\\?',
    '╭API key[^\\n]*\\n│(?!Paste)\\S[\\s\\S]*Press enter to save',
    '^\\s+❯ \\d+\\.',
    '(a)\\1 ', // a backreference: shapes not listed, so not refused (no guess)
  ])('%j is accepted', (pattern) => {
    expect(unworkablePattern(pattern)).toBeNull();
  });

  it('the shapes: every alternative, each quantifier at its minimum and one more, \\s as a space and a row end', () => {
    expect(patternExamples('^❯(\\s|$)')).toEqual(['❯ ', '❯\n', '❯']);
    expect(patternExamples('a{2,3}b?')).toEqual(['aa', 'aab', 'aaa', 'aaab']);
    expect(patternExamples('[^\\n]')).toEqual(['a', ' ']);
    expect(patternExamples('\\x41\\u00e9')).toEqual(['Aé']);
    expect(patternExamples('(a)\\1')).toBeNull();
    expect(patternExamples('[a ]{8}')).toHaveLength(256);
    expect(patternExamples('[a ]{9}')).toBeNull(); // too many shapes: no guess
  });

  it('trims rows the way capture-pane prints them', () => {
    expect(trimRows('❯ \n  Tip  \t\nlast ')).toBe('❯\n  Tip\nlast');
  });
});
