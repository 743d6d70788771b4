import fs from 'node:fs';
import path from 'node:path';
import type { TmuxDriver } from '@iapeer/tmux';
import { CODEX_HELD_SUBMIT } from './codex/codex-dialogs';
import { inputCleared } from './pane-text';
import { awaitHeldSubmit, type PaneWait } from './held-submit';

/**
 * awaitHeldSubmit's decisions, on real codex screens played in order (the real codex
 * run is codex/codex-startup.real.spec.ts). The pane port is a scripted list of captures: each
 * wait reads screens until one is accepted or the script for that wait runs out.
 */
const HELD = { match: CODEX_HELD_SUBMIT, graceMs: 1000, cancelKeys: ['Escape'] };
const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'codex', 'fixtures', name), 'utf8');
// Real codex screens: the submit held, then landed once codex had started.
const heldScreen = fixture('submit-held.txt');
const landedScreen = fixture('held-landed.txt');
// After Escape ("esc cancel") the text stays in the input row and the hold line goes.
const droppedScreen = heldScreen.replace(/Waiting for startup {2}· esc cancel/, '');
const landed = (pane: string) => inputCleared(pane, ['›'], 'hello probe message');

function scripted(waits: string[][]) {
  const keys: string[][] = [];
  let i = 0;
  const wait: PaneWait = async (accept) => {
    const screens = waits[i++] ?? [];
    for (const pane of screens) if (accept(pane)) return { ok: true, pane };
    return { ok: false, pane: screens[screens.length - 1] ?? '' };
  };
  const tmux = { sendKeys: async (_id: string, k: string[]) => void keys.push(k) } as unknown as TmuxDriver;
  return { keys, run: () => awaitHeldSubmit({ tmux, identity: 'codex-ada', held: HELD, landed, wait, reset: () => undefined }) };
}

describe('awaitHeldSubmit', () => {
  it('reads the screens as codex drew them', () => {
    expect([heldScreen, landedScreen, droppedScreen].map((p) => [CODEX_HELD_SUBMIT.test(p), landed(p)])).toEqual([[true, false], [false, true], [false, false]]);
  });

  it('a held submit that lands within the grace is delivered, with no key pressed', async () => {
    const s = scripted([[heldScreen, heldScreen, landedScreen]]);
    await expect(s.run()).resolves.toEqual({ landed: true, pane: landedScreen });
    expect(s.keys).toEqual([]);
  });

  it('still held at the end of the grace: cancelled with the cancel keys, NOT delivered, and says so', async () => {
    const s = scripted([[heldScreen, heldScreen], [droppedScreen]]);
    const out = await s.run();
    expect(out).toEqual({ landed: false, pane: droppedScreen, why: 'the agent held the submit for 1000 ms without taking it (still starting); the held submit was cancelled (Escape)' });
    expect(s.keys).toEqual([['Escape']]);
  });

  it('a landing that beats the cancel is still delivered (the truth wins over the plan)', async () => {
    const s = scripted([[heldScreen], [landedScreen]]);
    await expect(s.run()).resolves.toMatchObject({ landed: true });
    expect(s.keys).toEqual([['Escape']]);
  });

  it('a cancel that never shows is reported as such: it may still land', async () => {
    const s = scripted([[heldScreen], [heldScreen]]);
    await expect(s.run()).resolves.toMatchObject({ landed: false, why: expect.stringContaining('the cancel did not show, so it may still land') });
  });

  it('the hold dropped without the message leaving the input row is NOT delivered, no key pressed', async () => {
    const s = scripted([[heldScreen, droppedScreen]]);
    await expect(s.run()).resolves.toMatchObject({ landed: false, why: 'the agent held the submit, then dropped it without taking the message' });
    expect(s.keys).toEqual([]);
  });
});
