import sweepFs from 'node:fs';
import sweepOs from 'node:os';
import sweepPath from 'node:path';
import { sweepStaleTempFiles } from './registry-writer';
import { normalizeIntelligence } from '@iapeer/core';
import { mergeRecord } from '../ops/merge-record';
import { mergeProfile } from '../profile/profile-merge';
import { parseIndex } from './parse-index';
import { serializeIndex } from './serialize-index';

const rec = { personality: 'bob', default_runtime: 'claude', runtimes: ['claude'], description: 'd', intelligence: 'human', cwd: '/b', extra: {} };

describe('H1 merge (docs/behaviour.md §4.3)', () => {
  it('a brand-new peer gets the runtime default intelligence and an empty description', () => {
    expect(mergeRecord(undefined, { personality: 'tg', runtime: 'telegram', cwd: '/t' })).toEqual({
      personality: 'tg', default_runtime: 'telegram', runtimes: ['telegram'], description: '', intelligence: 'natural', cwd: '/t', extra: {},
    });
  });
  it('runtime and cwd win, runtimes union with the new default first, absent fields keep the old values', () => {
    const out = mergeRecord({ ...rec, interfaces: { telegram: { bot: 'b' } } }, { personality: 'bob', runtime: 'codex', runtimes: ['fake'], cwd: '/moved' });
    expect(out).toMatchObject({ default_runtime: 'codex', runtimes: ['codex', 'claude', 'fake'], cwd: '/moved', description: 'd', intelligence: 'human', interfaces: { telegram: { bot: 'b' } } });
  });
  it('keeps the legacy raw word when the explicit value is the same nature, replaces it when the nature changes', () => {
    expect(mergeRecord(rec, { personality: 'bob', runtime: 'claude', cwd: '/b', intelligence: 'natural' }).intelligence).toBe('human');
    expect(mergeRecord(rec, { personality: 'bob', runtime: 'claude', cwd: '/b', intelligence: 'artificial' }).intelligence).toBe('artificial');
  });
});

describe('read rules (docs/behaviour.md §4.2)', () => {
  it('missing file is an empty index; runtime falls back to the legacy mirror; empty intelligence heals', () => {
    expect(parseIndex(null).index.peers.size).toBe(0);
    const p = parseIndex(JSON.stringify({ peers: [{ personality: 'a', runtime: 'notifier', cwd: '/a', intelligence: '', runtimes: ['notifier', 7, 'bad-rt'] }] }));
    expect(p.problems).toEqual([]);
    expect(p.warnings).toEqual(['peers[0] ("a"): ignored invalid runtimes ["bad-rt"]']);
    expect(p.index.peers.get('a')).toMatchObject({ default_runtime: 'notifier', runtimes: ['notifier'], intelligence: 'absent' });
  });
  it('lists every fatal problem instead of stopping at the first', () => {
    const p = parseIndex(JSON.stringify({ version: 2, peers: [
      { personality: 'a', default_runtime: 'claude', cwd: '/a' },
      { personality: 'a', default_runtime: 'claude', cwd: '/a2' },
      { personality: 'b', default_runtime: 'claude', cwd: '/b', intelligence: 'robot' },
      { personality: 'c', default_runtime: 'claude', cwd: '/c', interfaces: [] },
      'x',
    ] }));
    expect(p.problems).toEqual([
      'peers[1]: duplicate personality "a"',
      'peers[2] ("b"): unknown intelligence "robot"',
      'peers[3] ("c"): "interfaces" is not an object',
      'peers[4] is not an object',
    ]);
    expect([...p.index.peers.keys()]).toEqual(['a']);
  });
  it('round-trips: serialize(parse(x)) keeps unknown fields and sorts by personality', () => {
    const text = serializeIndex(parseIndex(JSON.stringify({ version: 2, peers: [{ ...rec, personality: 'zed', extra: undefined, x: 1 }, { ...rec, extra: undefined }] })).index);
    const back = JSON.parse(text);
    expect(back.peers.map((p: any) => p.personality)).toEqual(['bob', 'zed']);
    expect(back.peers[1].x).toBe(1);
    expect(text.endsWith('}\n')).toBe(true);
  });
});

describe('profile merge (docs/behaviour.md §4.5)', () => {
  const base = { personality: 'bob', runtime: 'claude', runtimes: ['claude'] };
  it('keeps unknown fields, never wipes a description with an empty one, initial_prompt explicit wins else stays', () => {
    const old = { personality: 'bob', default_runtime: 'codex', description: 'keep', initial_prompt: 'p1', expansion: { a: 1 }, intelligence: 'human' };
    const m = mergeProfile(old, { ...base, description: '' }, normalizeIntelligence);
    expect(m).toMatchObject({ description: 'keep', initial_prompt: 'p1', expansion: { a: 1 }, intelligence: 'human', runtimes: ['claude', 'codex'] });
    expect(mergeProfile(old, { ...base, initial_prompt: 'p2', intelligence: 'natural' }, normalizeIntelligence)).toMatchObject({ initial_prompt: 'p2', intelligence: 'human' });
    expect(Object.keys(m)).toEqual(['personality', 'default_runtime', 'runtime', 'runtimes', 'description', 'intelligence', 'initial_prompt', 'expansion']);
  });
});

describe('sweepStaleTempFiles', () => {
  it('removes the temp files of dead writers and keeps live ones and everything else', () => {
    const dir = sweepFs.mkdtempSync(sweepPath.join(sweepOs.tmpdir(), 'iap-sweep-'));
    const fs = sweepFs;
    const names = ['.peers-profiles.json.111.0a1b2c3d-0000-4000-8000-000000000000.tmp', '.peers-profiles.json.222.0a1b2c3d-0000-4000-8000-000000000001.tmp', 'peers-profiles.json', '.other.111.x.tmp'];
    for (const n of names) fs.writeFileSync(`${dir}/${n}`, 'x');
    const removed = sweepStaleTempFiles(dir, (pid) => pid === 222);
    expect(removed).toEqual([names[0]]);
    expect(fs.readdirSync(dir).sort()).toEqual([names[1], names[3], names[2]].sort());
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
