import { DialogGate } from './dialog-gate';

describe('DialogGate (when the boot loop may answer a dialog)', () => {
  it('answers only a dialog seen in two consecutive captures (a mid-redraw capture is not trusted)', () => {
    const g = new DialogGate(2000);
    expect(g.shouldAnswer('bypass-confirm-cursor', 0)).toBe(false);
    expect(g.shouldAnswer('bypass-confirm-cursor', 250)).toBe(true);
    const h = new DialogGate(2000);
    expect(h.shouldAnswer('bypass-confirm-cursor', 0)).toBe(false);
    expect(h.shouldAnswer(null, 100)).toBe(false);
    expect(h.shouldAnswer('bypass-confirm-cursor', 200)).toBe(false);
  });

  it('never re-sends a key on a stale screen: the same dialog waits retryMs (a wrapping menu would undo the move)', () => {
    const g = new DialogGate(2000);
    g.shouldAnswer('bypass-confirm-cursor', 0);
    expect(g.shouldAnswer('bypass-confirm-cursor', 250)).toBe(true); // Down
    expect(g.shouldAnswer('bypass-confirm-cursor', 500)).toBe(false); // not redrawn yet: no second Down
    expect(g.shouldAnswer('bypass-confirm', 700)).toBe(false); // the cursor moved: confirm it first
    expect(g.shouldAnswer('bypass-confirm', 950)).toBe(true); // Enter on "2. Yes, I accept"
  });

  it('re-sends after retryMs when the screen never changed (a dropped key)', () => {
    const g = new DialogGate(2000);
    g.shouldAnswer('save-api-key', 0);
    expect(g.shouldAnswer('save-api-key', 250)).toBe(true);
    expect(g.shouldAnswer('save-api-key', 1500)).toBe(false);
    expect(g.shouldAnswer('save-api-key', 2300)).toBe(true);
  });

  it('a different dialog in between lifts the wait', () => {
    const g = new DialogGate(2000);
    g.shouldAnswer('a', 0);
    expect(g.shouldAnswer('a', 10)).toBe(true);
    g.shouldAnswer('b', 20);
    expect(g.shouldAnswer('b', 30)).toBe(true);
    g.shouldAnswer('a', 40);
    expect(g.shouldAnswer('a', 50)).toBe(true);
  });
});
