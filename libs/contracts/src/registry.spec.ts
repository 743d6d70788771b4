import { InitInputSchema, ListOutputSchema, PeerSchema, RemoveOutputSchema, UpsertInputSchema } from './registry';

describe('registry contract', () => {
  const peer = { personality: 'bob', default_runtime: 'claude', runtimes: ['claude', 'codex'], description: '', intelligence: 'natural', intelligence_raw: 'human', cwd: '/w/bob' };
  it('accepts a peer with raw legacy intelligence next to its nature, and optional interfaces', () => {
    expect(PeerSchema.parse(peer)).toEqual(peer);
    expect(PeerSchema.parse({ ...peer, interfaces: { telegram: { bot: 'x' } } }).interfaces).toEqual({ telegram: { bot: 'x' } });
  });
  it.each([
    [{ ...peer, intelligence: 'human' }, 'intelligence'],
    [{ ...peer, runtime: 'claude' }, 'runtime'],
    [{ ...peer, runtimes: 'claude' }, 'runtimes'],
  ])('rejects %j naming the field', (bad, field) => {
    const r = PeerSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error!.issues)).toContain(field);
  });
  it('upsert and init inputs are strict (an unknown key is refused) but values are validated by the service', () => {
    expect(UpsertInputSchema.safeParse({ personality: 'Bad', runtime: 'x-y', cwd: 'rel' }).success).toBe(true);
    expect(UpsertInputSchema.safeParse({ personality: 'a', runtime: 'claude', cwd: '/a', color: 'red' }).success).toBe(false);
    expect(InitInputSchema.safeParse({ cwd: '/a', initial_prompt: 'hi' }).success).toBe(true);
    // add-runtime / connect telegram go through init: extra runtimes and per-channel faces
    expect(InitInputSchema.safeParse({ cwd: '/a', runtimes: ['codex'], interfaces: { telegram: { bot: 'a' } } }).success).toBe(true);
    expect(InitInputSchema.safeParse({ cwd: '/a', runtimes: 'codex' }).success).toBe(false);
    expect(InitInputSchema.safeParse({ cwd: '/a', interfaces: ['telegram'] }).success).toBe(false);
  });
  it('list answers peers, warnings and a nullable corruption; remove answers removed + peer|null', () => {
    expect(ListOutputSchema.parse({ peers: [peer], warnings: [], corrupt: null }).peers).toHaveLength(1);
    expect(ListOutputSchema.safeParse({ peers: [], warnings: [], corrupt: { path: '/r/peers-profiles.json', reason: 'x' } }).success).toBe(true);
    expect(RemoveOutputSchema.parse({ removed: false, peer: null })).toEqual({ removed: false, peer: null });
  });
});
