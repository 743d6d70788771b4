import type { TmuxDriver } from '@iapeer/tmux';
import { awaitHeldSubmit, type PaneWait } from './held-submit';

/**
 * awaitHeldSubmit's decisions, on screens played in order (the real codex run is
 * codex/codex-startup.real.spec.ts). The pane port is a scripted list of captures: each
 * wait reads screens until one is accepted or the script for that wait runs out.
 */
const HELD = { match: /Waiting for startup/, graceMs: 1000, cancelKeys: ['Escape'] };
const heldScreen = '› hello\n  Waiting for startup  · esc cancel';
const landedScreen = '› hello\n› Ask Codex to do anything';
const droppedScreen = '› hello\n  ? for shortcuts';

function scripted(waits: string[][]) {
  const keys: string[][] = [];
  let i = 0;
  const wait: PaneWait = async (accept) => {
    const screens = waits[i++] ?? [];
    for (const pane of screens) if (accept(pane)) return { ok: true, pane };
    return { ok: false, pane: screens[screens.length - 1] ?? '' };
  };
  const tmux = { sendKeys: async (_id: string, k: string[]) => void keys.push(k) } as unknown as TmuxDriver;
  return { keys, run: () => awaitHeldSubmit({ tmux, identity: 'codex-ada', held: HELD, landed: (p) => p.endsWith('› Ask Codex to do anything'), wait, reset: () => undefined }) };
}

describe('awaitHeldSubmit', () => {
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
