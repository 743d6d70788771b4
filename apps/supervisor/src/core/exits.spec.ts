import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createExitSpool } from '../adapters/exit-spool';
import { FakeWorld } from '../test/fake-world';
import { runTickPass } from './tick';

const exitsLines = (w: FakeWorld) => w.events.lines.filter((l) => l.log === 'exits').map((l) => l.fields);
const noWake = async () => {
  throw new Error('no wake expected');
};

describe('exit records and the server-death canary (exits.log, §7.6)', () => {
  let w: FakeWorld;
  beforeEach(() => {
    w = new FakeWorld();
    w.addPeer({ personality: 'bob' });
    w.addPeer({ personality: 'cat' });
  });
  afterEach(() => w.cleanup());

  it('a dead pane with a hook record: one session-exit line (status, tail, death time), no canary', async () => {
    w.enrol('claude-bob', { live: false });
    const at = new Date(w.now - 500).toISOString();
    w.exitSpool.set('claude-bob', [{ at, identity: 'claude-bob', status: 3, signal: null, tail: 'crashing as told' }]);
    await runTickPass(w.deps(), noWake);
    expect(exitsLines(w)).toEqual([{ ev: 'session-exit', identity: 'claude-bob', dead_status: 3, dead_signal: undefined, signame: undefined, at, tail: 'crashing as told', tail_error: undefined }]);
    expect(w.exitSpool.size).toBe(0);
  });

  it('a death by a signal names it: dead_signal=9 signame=SIGKILL', async () => {
    w.enrol('claude-bob', { live: false });
    w.exitSpool.set('claude-bob', [{ at: new Date(w.now).toISOString(), identity: 'claude-bob', status: null, signal: 9, tail: '' }]);
    await runTickPass(w.deps(), noWake);
    expect(exitsLines(w)).toMatchObject([{ ev: 'session-exit', dead_signal: 9, signame: 'SIGKILL', dead_status: undefined }]);
  });

  it('the server died and no record since the wake: ev=server-exit; a record from before the wake does not count', async () => {
    const wokeAtMs = w.now - 60_000;
    w.enrol('claude-bob', { live: false, wokeAtMs });
    w.gone.set('claude-bob', 'server-dead');
    w.exitSpool.set('claude-bob', [{ at: new Date(wokeAtMs - 1000).toISOString(), identity: 'claude-bob', status: 0, signal: null, tail: '' }]);
    await runTickPass(w.deps(), noWake);
    expect(exitsLines(w).map((f) => f.ev)).toEqual(['session-exit', 'server-exit']);
    expect(exitsLines(w)[1]).toEqual({ ev: 'server-exit', identity: 'claude-bob', woke_at: new Date(wokeAtMs).toISOString(), reason: 'tmux server gone without a pane-died record' });
  });

  it('the server is gone but the pane died first (a record since the wake): no canary', async () => {
    w.enrol('claude-bob', { live: false });
    w.gone.set('claude-bob', 'server-dead');
    w.exitSpool.set('claude-bob', [{ at: new Date(w.now).toISOString(), identity: 'claude-bob', status: 1, signal: null, tail: '' }]);
    await runTickPass(w.deps(), noWake);
    expect(exitsLines(w).map((f) => f.ev)).toEqual(['session-exit']);
  });

  it('a session gone from a live server is no server death: no canary', async () => {
    w.enrol('claude-bob', { live: false });
    w.gone.set('claude-bob', 'session-gone');
    await runTickPass(w.deps(), noWake);
    expect(exitsLines(w)).toEqual([]);
  });

  it('records of identities the pass does not look at (no .session: an always-on peer) are shipped after it', async () => {
    w.enrol('claude-cat', { live: true });
    w.exitSpool.set('telegram-ops', [{ at: new Date(w.now).toISOString(), identity: 'telegram-ops', status: 1, signal: null, tail: 'bot token rejected' }]);
    await runTickPass(w.deps(), noWake);
    expect(exitsLines(w)).toMatchObject([{ ev: 'session-exit', identity: 'telegram-ops', dead_status: 1, tail: 'bot token rejected' }]);
  });
});

describe('createExitSpool (the files the pane-died hook appends)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-spool-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const line = (o: object) => JSON.stringify(o) + '\n';

  it('takes every record once, skips a torn line, removes the spool, and reads a leftover .draining first', () => {
    fs.writeFileSync(path.join(dir, 'fake-a.exits.draining'), line({ at: '2026-01-01T00:00:00.000Z', identity: 'fake-a', status: 1, signal: null, tail: 'old' }));
    fs.writeFileSync(path.join(dir, 'fake-a.exits'), line({ at: '2026-01-01T00:00:01.000Z', identity: 'fake-a', status: null, signal: 15, tail: 'x' }) + '{"at":"torn');
    fs.writeFileSync(path.join(dir, 'fake-b.exits'), line({ at: '2026-01-01T00:00:02.000Z', identity: 'fake-b', status: 0, signal: null, tail: '' }));
    fs.writeFileSync(path.join(dir, 'fake-a.log'), 'pane bytes');
    const spool = createExitSpool(dir);
    expect(spool.take('fake-a').map((r) => [r.identity, r.status, r.signal, r.tail])).toEqual([
      ['fake-a', 1, null, 'old'],
      ['fake-a', null, 15, 'x'],
    ]);
    expect(spool.take('fake-a')).toEqual([]);
    expect(spool.take().map((r) => r.identity)).toEqual(['fake-b']);
    expect(fs.readdirSync(dir)).toEqual(['fake-a.log']);
  });

  it('awaitRecord resolves as soon as the hook spooled a record, and gives up after its bound', async () => {
    const spool = createExitSpool(dir);
    const t0 = Date.now();
    await spool.awaitRecord!('fake-a', 100);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
    setTimeout(() => fs.writeFileSync(path.join(dir, 'fake-a.exits'), line({ at: '2026-01-01T00:00:00.000Z', identity: 'fake-a', status: 0, signal: null, tail: '' })), 50);
    const t1 = Date.now();
    await spool.awaitRecord!('fake-a', 10_000);
    expect(Date.now() - t1).toBeLessThan(5000);
    expect(spool.take('fake-a')).toHaveLength(1);
  });

  it('a missing directory is an empty spool', () => {
    expect(createExitSpool(path.join(dir, 'nope')).take()).toEqual([]);
  });
});
