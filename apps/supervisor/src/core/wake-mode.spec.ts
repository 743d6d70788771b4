import { resolveWakeMode, type WakeModeInput } from './wake-mode';

// One test per row of docs/behaviour.md §7.5, in the table's order.
const can = () => ({ ok: true as const, ref: 'uuid-1' });
const cannot = () => ({ ok: false as const, reason: 'no transcript' });
const input = (over: Partial<WakeModeInput>): WakeModeInput => ({ freshNext: false, ephemeral: false, idleReaped: false, human: false, topics: [], probeResume: can, ...over });

describe('resolveWakeMode (§7.5)', () => {
  it('1. resume=false (folder launch, new, eager relaunch) is fresh, cause=folder-launch, whatever the markers say', () => {
    expect(resolveWakeMode(input({ resume: false, idleReaped: true, freshNext: true, topic: 't', topics: ['t'] }))).toEqual({ mode: 'fresh', cause: 'folder-launch', consume: [] });
  });

  it('2a. resume=true (attach) resumes when the adapter can, cause=attach, with the ref', () => {
    expect(resolveWakeMode(input({ resume: true }))).toEqual({ mode: 'resume', cause: 'attach', ref: 'uuid-1', consume: [] });
  });

  it('2b. resume=true with nothing to resume fails loudly, never a silent fresh', () => {
    const d = resolveWakeMode(input({ resume: true, probeResume: cannot }));
    expect(d).toEqual({ mode: 'fail', cause: 'attach-nothing-to-resume', failReason: 'nothing to resume: no transcript', consume: [] });
    // an adapter reason that already says so is not prefixed twice (seen in the attach e2e test)
    const again = resolveWakeMode(input({ resume: true, probeResume: () => ({ ok: false as const, reason: 'nothing to resume: no file matches "t.jsonl"' }) }));
    expect(again.failReason).toBe('nothing to resume: no file matches "t.jsonl"');
  });

  it('3. .fresh-next is consumed with .idle-reaped: fresh, cause=soft-reload', () => {
    expect(resolveWakeMode(input({ freshNext: true, idleReaped: true, topic: 't', topics: ['t'] }))).toEqual({ mode: 'fresh', cause: 'soft-reload', consume: ['fresh-next', 'idle-reaped'] });
  });

  it('4. an ephemeral peer is always fresh, consuming .idle-reaped: cause=ephemeral-policy', () => {
    expect(resolveWakeMode(input({ ephemeral: true, idleReaped: true, topic: 't', topics: ['t'] }))).toEqual({ mode: 'fresh', cause: 'ephemeral-policy', consume: ['idle-reaped'] });
  });

  it('5a. no .idle-reaped with a transcript (it died on its own): fresh, cause=crash-or-self-close', () => {
    expect(resolveWakeMode(input({ topic: 't', topics: ['t'] }))).toEqual({ mode: 'fresh', cause: 'crash-or-self-close', consume: [] });
  });

  it('5b. no .idle-reaped and no transcript (never ran): fresh, cause=first-wake', () => {
    expect(resolveWakeMode(input({ probeResume: cannot }))).toEqual({ mode: 'fresh', cause: 'first-wake', consume: [] });
  });

  it('6a. clean park, human peer, resumable: resume, cause=idle-reaped-human (topic does not matter)', () => {
    expect(resolveWakeMode(input({ idleReaped: true, human: true, topic: 'new', topics: ['old'] }))).toEqual({ mode: 'resume', cause: 'idle-reaped-human', ref: 'uuid-1', consume: ['idle-reaped'] });
  });

  it('6b. clean park, human peer, nothing to resume: fresh, cause=idle-reaped-human-no-resume', () => {
    expect(resolveWakeMode(input({ idleReaped: true, human: true, probeResume: cannot }))).toEqual({ mode: 'fresh', cause: 'idle-reaped-human-no-resume', consume: ['idle-reaped'] });
  });

  it('6c. clean park, executor, no incoming topic: fresh, cause=idle-reaped-no-topic', () => {
    expect(resolveWakeMode(input({ idleReaped: true, topic: '  ', topics: ['a'] }))).toEqual({ mode: 'fresh', cause: 'idle-reaped-no-topic', consume: ['idle-reaped'] });
  });

  it('6d. clean park, executor, a topic not in the set: fresh, cause=idle-reaped-new-topic', () => {
    expect(resolveWakeMode(input({ idleReaped: true, topic: 'b', topics: ['a'] }))).toEqual({ mode: 'fresh', cause: 'idle-reaped-new-topic', consume: ['idle-reaped'] });
  });

  it('6e. clean park, executor, a topic in the set, resumable: resume, cause=idle-reaped-resume', () => {
    expect(resolveWakeMode(input({ idleReaped: true, topic: 'a', topics: ['z', 'a'] }))).toEqual({ mode: 'resume', cause: 'idle-reaped-resume', ref: 'uuid-1', consume: ['idle-reaped'] });
  });

  it('6f. clean park, executor, a topic in the set, no transcript: fresh, cause=idle-reaped-no-resume', () => {
    expect(resolveWakeMode(input({ idleReaped: true, topic: 'a', topics: ['a'], probeResume: cannot }))).toEqual({ mode: 'fresh', cause: 'idle-reaped-no-resume', consume: ['idle-reaped'] });
  });
});
