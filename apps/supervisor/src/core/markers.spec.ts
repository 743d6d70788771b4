import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_DEATHS, MAX_TOPICS, MarkerStore, purgeIdentityState } from './markers';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'iap-markers-'));

describe('MarkerStore (§7.2)', () => {
  let dir: string;
  let store: MarkerStore;
  beforeEach(() => {
    dir = path.join(tmp(), 'state', 'lifecycle');
    store = new MarkerStore(dir);
  });

  it('writes .session as JSON with mode 0600 in a 0700 dir, and leaves no temp file', () => {
    const rec = { identity: 'claude-bob', runtime: 'claude', personality: 'bob', cwd: '/w/bob', wokeAt: '2026-01-01T00:00:00.000Z' };
    store.writeSession(rec);
    store.writeSession({ ...rec, wokeAt: '2026-01-02T00:00:00.000Z' });
    const file = path.join(dir, 'claude-bob.session');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ ...rec, wokeAt: '2026-01-02T00:00:00.000Z' });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(dir)).toEqual(['claude-bob.session']);
    expect(store.listSessions()).toEqual(['claude-bob']);
    expect(store.clearSession('claude-bob')).toBe(true);
    expect(store.readSession('claude-bob')).toBeNull();
  });

  it('flag markers hold one ISO line, 0600, and clear idempotently', () => {
    const at = new Date('2026-02-03T04:05:06.000Z');
    for (const flag of ['stopped', 'idle-reaped', 'new-eager', 'fresh-next'] as const) {
      store.set('codex-amy', flag, at);
      const file = path.join(dir, `codex-amy.${flag}`);
      expect(fs.readFileSync(file, 'utf8')).toBe('2026-02-03T04:05:06.000Z\n');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(store.has('codex-amy', flag)).toBe(true);
      expect(store.clear('codex-amy', flag)).toBe(true);
      expect(store.clear('codex-amy', flag)).toBe(false);
    }
  });

  it('.deaths keeps the newest 16 epoch-ms times and trims to the window, deleting an empty file', () => {
    for (let i = 1; i <= 20; i++) store.recordDeath('claude-bob', i * 1000);
    expect(store.readDeaths('claude-bob')).toHaveLength(MAX_DEATHS);
    expect(store.readDeaths('claude-bob')[0]).toBe(5000);
    expect(store.trimDeaths('claude-bob', 18_000)).toEqual([18_000, 19_000, 20_000]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'claude-bob.deaths'), 'utf8'))).toEqual([18_000, 19_000, 20_000]);
    expect(store.trimDeaths('claude-bob', 99_000)).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'claude-bob.deaths'))).toBe(false);
  });

  it('a corrupt .deaths reads as no deaths instead of wedging every wake', () => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'claude-bob.deaths'), '[1,2');
    expect(store.readDeaths('claude-bob')).toEqual([]);
  });

  it('.topic is a newline set: newest last, deduplicated, at most 16, reset on demand', () => {
    expect(store.addTopic('claude-bob', 'a')).toBe(true);
    expect(store.addTopic('claude-bob', 'b')).toBe(true);
    expect(store.addTopic('claude-bob', 'b')).toBe(false);
    expect(store.addTopic('claude-bob', 'a')).toBe(true);
    expect(store.readTopics('claude-bob')).toEqual(['b', 'a']);
    expect(fs.readFileSync(path.join(dir, 'claude-bob.topic'), 'utf8')).toBe('b\na\n');
    expect(store.addTopic('claude-bob', 'multi\nline ')).toBe(true);
    expect(store.readTopics('claude-bob')).toEqual(['b', 'a', 'multi line']);
    for (let i = 0; i < 20; i++) store.addTopic('claude-bob', `t${i}`);
    const topics = store.readTopics('claude-bob');
    expect(topics).toHaveLength(MAX_TOPICS);
    expect(topics[topics.length - 1]).toBe('t19');
    store.resetTopics('claude-bob');
    expect(store.readTopics('claude-bob')).toEqual([]);
  });

  it('refuses a malformed identity before building a path (no traversal)', () => {
    expect(() => store.set('../../etc', 'stopped', new Date())).toThrow(/invalid identity/);
    expect(() => store.readSession('bob')).toThrow(/expected <runtime>-<personality>/);
  });

  it('purgeIdentityState removes every <identity>.* entry, never a longer name, and nothing outside the lifecycle dir', () => {
    const logDir = path.join(tmp(), 'logs');
    store.set('claude-bob', 'stopped', new Date());
    store.recordDeath('claude-bob', 1);
    store.addTopic('claude-bob', 'x');
    fs.mkdirSync(path.join(dir, 'claude-bob.queue'));
    fs.writeFileSync(path.join(dir, 'claude-bob.queue', '000001'), '{}');
    store.set('claude-bob2', 'stopped', new Date());
    store.set('claude-bo', 'stopped', new Date());
    fs.mkdirSync(path.join(logDir, 'tmux-cmdlog', 'claude-bob'), { recursive: true });
    const removed = purgeIdentityState(store, 'claude-bob');
    expect(removed).toEqual(['claude-bob.deaths', 'claude-bob.queue', 'claude-bob.stopped', 'claude-bob.topic']);
    expect(fs.readdirSync(dir).sort()).toEqual(['claude-bo.stopped', 'claude-bob2.stopped']);
    // logs/iapeer/ is logd's: the supervisor's purge leaves it alone
    expect(fs.existsSync(path.join(logDir, 'tmux-cmdlog', 'claude-bob'))).toBe(true);
  });

  it('listIdentities names every identity that has any marker', () => {
    store.set('claude-bob', 'stopped', new Date());
    store.addTopic('codex-amy', 'x');
    store.writeSystemPrompt('claude-zed', 'hi\n');
    expect(store.listIdentities()).toEqual(['claude-bob', 'claude-zed', 'codex-amy']);
  });
});
