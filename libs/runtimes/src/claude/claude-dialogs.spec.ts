import fs from 'node:fs';
import path from 'node:path';
import { CLAUDE_BOOT_DIALOGS, isClaudeInputReady } from './claude-dialogs';

/**
 * Pane captures recorded from the real Claude Code 2.1.197 in tmux (220x50) with a
 * throw-away HOME (docs/notes/agents.md). `*.synthetic.txt` screens cannot be reached
 * offline; they are built from the strings in the 2.1.197 binary.
 */
const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');
const answer = (pane: string) => CLAUDE_BOOT_DIALOGS.filter((d) => d.match.test(pane)).map((d) => ({ name: d.name, keys: d.keys }));

describe('claude boot dialogs on real captures', () => {
  it.each([
    ['trust-folder.txt', 'trust-folder', ['Enter']],
    ['external-imports.txt', 'external-imports', ['Enter']],
    ['api-key-confirm.txt', 'api-key-confirm-cursor', ['Up']],
    ['bypass-confirm.txt', 'bypass-confirm-cursor', ['Down']],
    ['resume-picker.synthetic.txt', 'resume-picker-cursor-down', ['Down']],
    ['theme-picker.synthetic.txt', 'theme-picker', ['Enter']],
  ])('%s is answered by exactly one dialog (%s) with %j', (file, name, keys) => {
    expect(answer(fixture(file))).toEqual([{ name, keys }]);
  });

  it('confirms the API key once the cursor is on "1. Yes" (the default is "2. No")', () => {
    const onYes = fixture('api-key-confirm.txt').replace('  ❯ 2. No (recommended)', '    2. No (recommended)').replace('    1. Yes', '  ❯ 1. Yes');
    expect(answer(onYes)).toEqual([{ name: 'api-key-confirm', keys: ['Enter'] }]);
  });

  it('accepts bypass mode only with the cursor on "2. Yes, I accept", never Enter on "1. No, exit"', () => {
    expect(answer(fixture('bypass-confirm-2.txt'))).toEqual([{ name: 'bypass-confirm-cursor', keys: ['Down'] }]);
    const onYes = fixture('bypass-confirm.txt').replace('  ❯ 1. No, exit', '    1. No, exit').replace('    2. Yes, I accept', '  ❯ 2. Yes, I accept');
    expect(answer(onYes)).toEqual([{ name: 'bypass-confirm', keys: ['Enter'] }]);
  });

  it('picks "Resume full session as-is" in the resume picker, never the compacting default', () => {
    const onFull = fixture('resume-picker.synthetic.txt')
      .replace('  ❯ 1. Resume from summary', '    1. Resume from summary')
      .replace('    2. Resume full session', '  ❯ 2. Resume full session');
    expect(answer(onFull)).toEqual([{ name: 'resume-picker', keys: ['Enter'] }]);
    const onNever = fixture('resume-picker.synthetic.txt')
      .replace('  ❯ 1. Resume from summary', '    1. Resume from summary')
      .replace("    3. Don't ask", "  ❯ 3. Don't ask");
    expect(answer(onNever)).toEqual([{ name: 'resume-picker-cursor-up', keys: ['Up'] }]);
  });

  it.each(['ready.txt', 'pasted.txt', 'submitted-retrying.txt', 'after-escape.txt', 'compact-result.txt', 'onboarding-offline.txt'])(
    'no dialog matches %s',
    (file) => {
      expect(answer(fixture(file))).toEqual([]);
    },
  );
});

describe('claude input-ready', () => {
  it.each(['ready.txt', 'after-escape.txt', 'compact-result.txt'])('is ready on %s (❯ row + "bypass permissions on")', (file) => {
    expect(isClaudeInputReady(fixture(file))).toBe(true);
  });

  it.each(['trust-folder.txt', 'external-imports.txt', 'api-key-confirm.txt', 'bypass-confirm.txt', 'onboarding-offline.txt', 'resume-picker.synthetic.txt'])(
    'is not ready on %s',
    (file) => {
      expect(isClaudeInputReady(fixture(file))).toBe(false);
    },
  );

  it('judges only an idle composer: with a paste pending the footer shows "paste again to expand" instead of the mode', () => {
    expect(isClaudeInputReady(fixture('pasted.txt'))).toBe(false);
  });
});
