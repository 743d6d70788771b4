import { StormCompactor } from './storm';

describe('StormCompactor (retry-storm protection)', () => {
  const ev = { ev: 'delivery', to: 'boris', ok: false };

  it('folds repeats into the queued line while it is unsent', () => {
    const s = new StormCompactor(1000);
    const [first] = s.add('delivery', ev, 0);
    for (let i = 1; i < 50; i++) expect(s.add('delivery', { ...ev }, i)).toEqual([]);
    expect(first.count).toBe(50);
  });

  it('holds repeats after the first line was sent and releases them when a different event comes', () => {
    const s = new StormCompactor(1000);
    const [first] = s.add('delivery', ev, 0);
    first.sent = true;
    s.add('delivery', ev, 1);
    s.add('delivery', ev, 2);
    expect(s.hasHeld()).toBe(true);
    const out = s.add('delivery', { ev: 'delivery', to: 'ann' }, 3);
    expect(out.map((e) => [e.fields.to, e.count])).toEqual([
      ['boris', 2],
      ['ann', 1],
    ]);
  });

  it('ends a run when the window passes, so a slow storm still shows up every window', () => {
    const s = new StormCompactor(1000);
    s.add('delivery', ev, 0)[0].sent = true;
    s.add('delivery', ev, 500);
    expect(s.release(999)).toEqual([]);
    expect(s.release(1000).map((e) => e.count)).toEqual([1]);
    expect(s.add('delivery', ev, 1001)).toHaveLength(1); // a new run starts with a new line
  });

  it('keeps logs apart and treats a changed field as a different event', () => {
    const s = new StormCompactor(1000);
    expect(s.add('delivery', ev, 0)).toHaveLength(1);
    expect(s.add('lifecycle', ev, 0)).toHaveLength(1);
    expect(s.add('delivery', { ...ev, ok: true }, 0)).toHaveLength(1);
    expect(s.add('delivery', { ...ev, extra: 1 }, 0)).toHaveLength(1);
  });
});
