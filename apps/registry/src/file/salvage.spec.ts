import fc from 'fast-check';
import type { StoredPeer } from './peer-record';
import { salvageRecords } from './salvage';
import { serializeIndex } from './serialize-index';

const rec = (i: number): StoredPeer => ({
  personality: `peer-${i}`,
  default_runtime: 'claude',
  runtimes: ['claude'],
  description: `a "quoted" {brace} description ${i}`,
  intelligence: 'artificial',
  cwd: `/work/p${i}`,
  extra: i % 2 ? { nested: { deep: [1, { x: '}' }] } } : {},
  ...(i % 3 === 0 ? { interfaces: { telegram: { chat: i } } } : {}),
});

describe('salvageRecords: the records a cut registry text still holds whole', () => {
  const peers = new Map(Array.from({ length: 7 }, (_, i) => rec(i)).map((r) => [r.personality, r]));
  const text = serializeIndex({ version: 2, peers, extra: {} });

  it('the whole text gives every record back, as written', () => {
    expect(salvageRecords(text)).toEqual([...peers.values()]);
  });

  it('a cut anywhere gives the records before the cut, each whole and equal, never a torn one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length }), (cut) => {
        const got = salvageRecords(text.slice(0, cut));
        const all = [...peers.values()];
        expect(got).toEqual(all.slice(0, got.length));
        // exactly the records whose closing brace is before the cut (an element closes at `\n    }`)
        const ends = [...text.matchAll(/\n {4}\}/g)].map((m) => m.index! + m[0].length);
        expect(got.length).toBe(ends.filter((e) => e <= cut).length);
      }),
      { numRuns: 300 },
    );
  });

  it('nothing from a text without a peers array, or none at all', () => {
    expect(salvageRecords(null)).toEqual([]);
    expect(salvageRecords('{"version": 2, "pe')).toEqual([]);
  });
});
