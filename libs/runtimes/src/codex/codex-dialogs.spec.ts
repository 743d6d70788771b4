import fs from 'node:fs';
import path from 'node:path';
import { inputCleared } from '../pane-text';
import { CODEX_BOOT_DIALOGS, CODEX_HELD_SUBMIT, isCodexInputReady } from './codex-dialogs';

/**
 * Pane captures recorded from the real Codex 0.169.0 in tmux (220x50) with a throw-away
 * HOME (docs/notes/agents.md). `*.synthetic.txt` screens cannot be reached offline;
 * they are built from the strings in the 0.169.0 binary.
 */
const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');
const answer = (pane: string) => CODEX_BOOT_DIALOGS.filter((d) => d.match.test(pane)).map((d) => ({ name: d.name, keys: d.keys }));

describe('codex boot dialogs on real captures', () => {
  it.each([
    ['sign-in.txt', 'sign-in-cursor', ['Down']],
    ['sign-in-another-way.txt', 'use-api-key', ['Enter']],
    ['api-key-prefilled.txt', 'save-api-key', ['Enter']],
    ['trust-folder.txt', 'trust-folder', ['Enter']],
    ['update-available.synthetic.txt', 'update-available', ['2', 'Enter']],
    ['hooks-review.synthetic.txt', 'hooks-review', ['Down', 'Enter']],
  ])('%s is answered by exactly one dialog (%s) with %j', (file, name, keys) => {
    expect(answer(fixture(file))).toEqual([{ name, keys }]);
  });

  it('walks the sign-in menu to "3. Sign in another way" one key at a time', () => {
    const on2 = fixture('sign-in.txt').replace('> 1. Sign in with ChatGPT', '  1. Sign in with ChatGPT').replace('  2. Sign in with Device Code', '> 2. Sign in with Device Code');
    expect(answer(on2)).toEqual([{ name: 'sign-in-cursor', keys: ['Down'] }]);
    const on3 = fixture('sign-in.txt').replace('> 1. Sign in with ChatGPT', '  1. Sign in with ChatGPT').replace('  3. Sign in another way', '> 3. Sign in another way');
    expect(answer(on3)).toEqual([{ name: 'sign-in-another-way', keys: ['Enter'] }]);
  });

  it('never submits an empty API-key field (no key in the env: the boot fails with this screen in the tail)', () => {
    expect(answer(fixture('api-key-empty.txt'))).toEqual([]);
    expect(isCodexInputReady(fixture('api-key-empty.txt'))).toBe(false);
  });

  it.each(['ready.txt', 'pasted.txt', 'submitted-reconnecting.txt', 'after-escape.txt', 'compact-typed.txt', 'compacting.txt', 'resumed.txt'])(
    'no dialog matches %s',
    (file) => {
      expect(answer(fixture(file))).toEqual([]);
    },
  );
});

describe('codex input-ready', () => {
  it.each(['ready.txt', 'pasted.txt', 'after-escape.txt', 'resumed.txt', 'starting.txt', 'started-tip.txt', 'held-landed.txt'])('is ready on %s (a "› " composer row)', (file) => {
    expect(isCodexInputReady(fixture(file))).toBe(true);
  });

  it.each(['sign-in.txt', 'sign-in-another-way.txt', 'api-key-prefilled.txt', 'trust-folder.txt', 'update-available.synthetic.txt', 'hooks-review.synthetic.txt'])(
    'is not ready on %s',
    (file) => {
      expect(isCodexInputReady(fixture(file))).toBe(false);
    },
  );

  it('is not ready on the composer codex draws before its config has loaded (the trust dialog can still follow)', () => {
    expect(isCodexInputReady(fixture('early-composer.txt'))).toBe(false);
    // the same screen ~3 s later, config loaded: ready
    expect(isCodexInputReady(fixture('starting.txt'))).toBe(true);
  });

  it('is not ready while "Resuming session…" still shows (the composer draws before the history loads)', () => {
    const resuming = '  >_ OpenAI Codex (v0.169.0)\n     /tmp/p\n\n  Resuming session…\n\n› Ask Codex to do anything\n\n  ? for shortcuts\n';
    expect(isCodexInputReady(resuming)).toBe(false);
  });
});

describe('codex holding a submit until its session has started (issue 14 item 6)', () => {
  // Captured 3.2 s and 9.5 s after the prompt showed, one Enter pressed at 0.4 s.
  it('"Waiting for startup" is a held submit: not input-ready, and the paste is still in the input row', () => {
    const held = fixture('submit-held.txt');
    expect(CODEX_HELD_SUBMIT.test(held)).toBe(true);
    expect(isCodexInputReady(held)).toBe(false);
    expect(inputCleared(held, ['›'], 'hello probe message')).toBe(false);
  });

  it('once started, codex submits the held message itself: the input row is clear, the message above it', () => {
    const landed = fixture('held-landed.txt');
    expect(CODEX_HELD_SUBMIT.test(landed)).toBe(false);
    expect(inputCleared(landed, ['›'], 'hello probe message')).toBe(true);
    expect(isCodexInputReady(landed)).toBe(true);
  });

  it.each(['starting.txt', 'started-tip.txt', 'ready.txt', 'pasted.txt', 'submitted-reconnecting.txt', 'resumed.txt'])('%s holds no submit', (file) => {
    expect(CODEX_HELD_SUBMIT.test(fixture(file))).toBe(false);
  });
});
