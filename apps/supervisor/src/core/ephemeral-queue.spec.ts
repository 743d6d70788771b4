import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isIapeerError, type IapeerError } from '@iapeer/core';
import { EphemeralQueue } from './ephemeral-queue';

describe('EphemeralQueue (§7.7): <identity>.queue/NNNNNN, FIFO, whole items only', () => {
  let dir: string;
  let q: EphemeralQueue;
  const at = '2026-03-01T12:00:00.000Z';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-q-'));
    q = new EphemeralQueue(path.join(dir, 'lifecycle'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('numbers items 000001, 000002… in order; depth counts them; peek is the oldest', () => {
    expect(q.enqueue('claude-w', { task: 'one', topic: 't', at })).toEqual({ seq: '000001', depth: 1, duplicate: false });
    expect(q.enqueue('claude-w', { task: 'two', at })).toEqual({ seq: '000002', depth: 2, duplicate: false });
    expect(fs.readdirSync(q.dir('claude-w')).sort()).toEqual(['000001', '000002']); // no temp file left behind
    expect(q.peek('claude-w')).toEqual({ seq: '000001', item: { task: 'one', topic: 't', at } });
    q.remove('claude-w', '000001');
    expect(q.peek('claude-w')).toEqual({ seq: '000002', item: { task: 'two', at } });
    expect(q.depth('claude-w')).toBe(1);
  });

  it('a full queue refuses one more with QUEUE_FULL and writes nothing; a keyed retry of a queued send is still answered', () => {
    const capped = new EphemeralQueue(path.join(dir, 'capped'), 2);
    capped.enqueue('claude-w', { task: 'a', sendId: 's-a', at });
    capped.enqueue('claude-w', { task: 'b', at });
    const err = (() => {
      try {
        capped.enqueue('claude-w', { task: 'c', at });
      } catch (e) {
        return e as IapeerError;
      }
      return null;
    })();
    expect(err?.code).toBe('QUEUE_FULL');
    expect(err?.message).toContain("claude-w's queue already holds 2 messages (IAPEER_EPHEMERAL_QUEUE_MAX=2): message NOT queued");
    expect(fs.readdirSync(capped.dir('claude-w')).sort()).toEqual(['000001', '000002']);
    expect(capped.enqueue('claude-w', { task: 'a', sendId: 's-a', at })).toEqual({ seq: '000001', depth: 2, duplicate: true });
    capped.remove('claude-w', '000001');
    expect(capped.enqueue('claude-w', { task: 'c', at }).depth).toBe(2);
  });

  it('files are 0600 in a 0700 directory', () => {
    q.enqueue('claude-w', { task: 'x', at });
    expect(fs.statSync(q.dir('claude-w')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(q.dir('claude-w'), '000001')).mode & 0o777).toBe(0o600);
  });

  it('a new item always goes after the newest, even when older ones were taken', () => {
    q.enqueue('claude-w', { task: 'a', at });
    q.enqueue('claude-w', { task: 'b', at });
    q.remove('claude-w', '000001');
    expect(q.enqueue('claude-w', { task: 'c', at }).seq).toBe('000003');
    expect(q.seqs('claude-w')).toEqual(['000002', '000003']);
  });

  it('never takes a number another writer holds (link is exclusive): the next one is used', () => {
    q.enqueue('claude-w', { task: 'a', at });
    // a second writer that read the same max but linked first
    fs.writeFileSync(path.join(q.dir('claude-w'), '000002'), JSON.stringify({ task: 'theirs', at }));
    expect(q.enqueue('claude-w', { task: 'mine', at }).seq).toBe('000003');
    expect((q.peek('claude-w') as { item: { task: string } }).item.task).toBe('a');
  });

  it('the same sendId is queued once', () => {
    expect(q.enqueue('claude-w', { task: 'a', sendId: '0123456789abcdef', at }).duplicate).toBe(false);
    expect(q.enqueue('claude-w', { task: 'a', sendId: '0123456789abcdef', at })).toEqual({ seq: '000001', depth: 1, duplicate: true });
    expect(q.depth('claude-w')).toBe(1);
  });

  it('reports a corrupt head instead of throwing', () => {
    q.enqueue('claude-w', { task: 'a', at });
    fs.writeFileSync(path.join(q.dir('claude-w'), '000001'), '{"task":');
    expect(q.peek('claude-w')).toEqual({ seq: '000001', corrupt: 'not a queue item {task, at}' });
  });

  it('identities() lists only non-empty queues of valid identities', () => {
    q.enqueue('claude-w', { task: 'a', at });
    q.enqueue('codex-v', { task: 'b', at });
    q.remove('codex-v', '000001');
    fs.mkdirSync(path.join(q.lifecycleDir, 'not an identity.queue'));
    expect(q.identities()).toEqual(['claude-w']);
    expect(q.depth('fake-nobody')).toBe(0);
    expect(q.peek('fake-nobody')).toBeNull();
  });

  it('a write failure is EPHEMERAL_QUEUE_FAILED naming the place, and nothing is queued', () => {
    fs.mkdirSync(q.lifecycleDir, { recursive: true });
    fs.writeFileSync(q.dir('claude-w'), 'a file where the directory should be');
    const err = (() => {
      try {
        q.enqueue('claude-w', { task: 'a', at });
      } catch (e) {
        return e;
      }
    })();
    expect(isIapeerError(err) && err.code).toBe('EPHEMERAL_QUEUE_FAILED');
    expect(String((err as Error).message)).toContain('claude-w.queue');
    expect(String((err as Error).message)).toContain('message NOT queued');
  });

  it('refuses a path built from an invalid identity', () => {
    expect(() => q.dir('../etc')).toThrow(/invalid identity/);
  });
});
