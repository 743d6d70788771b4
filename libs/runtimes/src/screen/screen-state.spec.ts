import fs from 'node:fs';
import path from 'node:path';
import { createClaudeAdapter } from '../claude/claude-adapter';
import { createCodexAdapter } from '../codex/codex-adapter';
import { createManifestAdapter } from '../manifest-adapter';
import { RuntimeManifestSchema } from '../manifest-schema';
import { composerAfterGlyph, readScreen } from './screen-state';

/** Screens captured from the real CLIs (claude 2.1.197, codex 0.169.0) in tmux, offline. */
const claudeFx = (name: string) => fs.readFileSync(path.join(__dirname, '../claude/fixtures', name), 'utf8');
const codexFx = (name: string) => fs.readFileSync(path.join(__dirname, '../codex/fixtures', name), 'utf8');

describe('screen state readers (§6.4)', () => {
  const claude = createClaudeAdapter({ bin: 'claude', isRoot: () => false });
  const codex = createCodexAdapter({ bin: 'codex' });

  it.each([
    ['ready.txt', 'ready', ''],
    ['submitted-retrying.txt', 'busy', ''],
    ['trust-folder.txt', 'waiting', null],
    ['api-key-confirm.txt', 'waiting', null],
    ['bypass-confirm.txt', 'waiting', null],
    ['pasted.txt', 'unknown', '[Pasted text #1 +3 lines]'],
  ])('claude %s reads %s (composer %p)', (file, state, composer) => {
    const r = readScreen(claude, claudeFx(file));
    expect(r.state).toBe(state);
    if (composer !== null) expect(r.composer).toBe(composer);
  });

  it.each([
    ['ready.txt', 'ready', ''],
    ['submitted-reconnecting.txt', 'busy', ''],
    ['compacting.txt', 'busy', ''],
    ['trust-folder.txt', 'waiting', null],
    ['sign-in.txt', 'waiting', null],
    ['api-key-prefilled.txt', 'waiting', null],
    ['pasted.txt', 'unknown', '<iap-message from="alice">\nline two with "quotes"\nlast line here\n</iap-message>'],
    // Before its session has started codex looks ready (an Enter is then held: deliver() waits for it).
    ['early-composer.txt', 'unknown', ''],
    ['starting.txt', 'ready', ''],
    ['submit-held.txt', 'unknown', 'hello probe message'],
    ['held-landed.txt', 'ready', ''],
  ])('codex %s reads %s (composer %p)', (file, state, composer) => {
    const r = readScreen(codex, codexFx(file));
    expect(r.state).toBe(state);
    if (composer !== null) expect(r.composer).toBe(composer);
  });

  it('a claude permission dialog (indented ❯ menu) is waiting; a codex approval menu is waiting', () => {
    const claudeAsk = claudeFx('ready.txt').replace(/^❯\u00a0$/m, ' Do you want to make this edit to a.ts?\n ❯ 1. Yes\n   2. No');
    expect(readScreen(claude, claudeAsk)).toMatchObject({ state: 'waiting', why: 'choice-menu' });
    const codexAsk = codexFx('ready.txt').replace('› Ask Codex to do anything', '  Would you like to run the following command?\n› 1. Yes, proceed (y)\n  2. No (esc)');
    expect(readScreen(codex, codexAsk)).toMatchObject({ state: 'waiting', why: 'choice-menu' });
  });

  it('ghost placeholders are not input; typed text is', () => {
    expect(readScreen(claude, claudeFx('ready.txt').replace(/^❯\u00a0$/m, '❯ Try "fix lint errors"')).composer).toBe('');
    expect(readScreen(claude, claudeFx('ready.txt').replace(/^❯\u00a0$/m, '❯ hello there')).composer).toBe('hello there');
    expect(readScreen(codex, codexFx('ready.txt').replace('Ask Codex to do anything', 'Ask a follow-up question'))).toMatchObject({ state: 'ready', composer: '' });
    expect(readScreen(codex, codexFx('ready.txt').replace('Ask Codex to do anything', 'fix the build'))).toMatchObject({ state: 'unknown', composer: 'fix the build' });
  });

  it('a blank or foreign screen is unknown, never guessed; a runtime without rules is unknown', () => {
    expect(readScreen(claude, '\n\n\n').state).toBe('unknown');
    expect(readScreen(codex, 'Loading…\n').state).toBe('unknown');
    expect(readScreen({}, claudeFx('ready.txt'))).toMatchObject({ state: 'unknown', why: 'runtime declares no screen rules' });
  });

  it('composerAfterGlyph takes the last input row and its indented continuation, up to a rule row', () => {
    expect(composerAfterGlyph('❯ old\n  echo\n❯ new\n  more\n────\n  footer', '❯')).toBe('new\nmore');
    expect(composerAfterGlyph('nothing here', '❯')).toBeNull();
  });

  it('manifest busyPattern / waitingPattern drive a manifest runtime; invalid ones are refused like readyPattern', () => {
    const m = RuntimeManifestSchema.parse({ runtime: 'toy', command: 'toy', promptGlyph: '>', readyPattern: '^>', busyPattern: 'thinking…', waitingPattern: '^\\[y/n\\]' });
    const a = createManifestAdapter(m);
    expect(readScreen(a, 'hi\n> ').state).toBe('ready');
    expect(readScreen(a, 'thinking…\n> ').state).toBe('busy');
    expect(readScreen(a, 'overwrite? \n[y/n]\n> ').state).toBe('waiting');
    expect(readScreen(a, '> typed').state).toBe('unknown');
    const bad = RuntimeManifestSchema.safeParse({ runtime: 'toy', command: 'toy', promptGlyph: '>', readyPattern: '^>', busyPattern: '(' });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('busyPattern');
  });
});
