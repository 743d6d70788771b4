import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createUser } from '@nats-io/nkeys';
import type { FleetReply } from '@iapeer/contracts';
import { loadOrCreateHostKey, verifySignature } from './host-key';
import { isUp, readLocalPeers } from './roster';
import { openReply, signReply } from './wire';

describe('host key, signatures and signed replies', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-bridge-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates the seed once (0600) and loads the same key afterwards', () => {
    const file = path.join(dir, 'bridge', 'host.nk');
    const first = loadOrCreateHostKey(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^SU[A-Z0-9]+\n$/);
    expect(loadOrCreateHostKey(file).publicKey).toBe(first.publicKey);
    expect(first.publicKey).toMatch(/^U[A-Z0-9]{55}$/);
  });

  it('verifies its own signature, refuses another key, a changed body and garbage', () => {
    const key = loadOrCreateHostKey(path.join(dir, 'host.nk'));
    const sig = key.sign('{"a":1}');
    expect(verifySignature(key.publicKey, '{"a":1}', sig)).toBe(true);
    expect(verifySignature(createUser().getPublicKey(), '{"a":1}', sig)).toBe(false);
    expect(verifySignature(key.publicKey, '{"a":2}', sig)).toBe(false);
    expect(verifySignature(key.publicKey, '{"a":1}', undefined)).toBe(false);
    expect(verifySignature('not-a-key', '{"a":1}', sig)).toBe(false);
    expect(verifySignature(key.publicKey, '{"a":1}', '!!!')).toBe(false);
  });

  it('a signed reply opens only with the right host, key and id', () => {
    const key = loadOrCreateHostKey(path.join(dir, 'host.nk'));
    const reply: FleetReply = { ok: false, id: 'hosta-1', code: 'PEER_WAITING', error: 'a dialog' };
    const raw = signReply(key, 'hostb', reply);
    expect(openReply(raw, 'hostb', key.publicKey, 'hosta-1')).toEqual(reply);
    expect(openReply(raw, 'hostc', key.publicKey, 'hosta-1')).toBeNull();
    expect(openReply(raw, 'hostb', createUser().getPublicKey(), 'hosta-1')).toBeNull();
    expect(openReply(raw, 'hostb', key.publicKey, 'hosta-2')).toBeNull();
    expect(openReply('not json', 'hostb', key.publicKey, 'hosta-1')).toBeNull();
    // an unregistered error code is not a reply
    const bad = signReply(key, 'hostb', { ok: false, id: 'hosta-1', code: 'NOPE' as never, error: 'x' });
    expect(openReply(bad, 'hostb', key.publicKey, 'hosta-1')).toBeNull();
  });
});

describe('roster', () => {
  it('a host is up for three heartbeats after its last refresh', () => {
    const e = { v: 1 as const, host: 'h', publicKey: 'U', updatedAt: 1000, heartbeatMs: 500, peers: [] };
    expect(isUp(e, 2499)).toBe(true);
    expect(isUp(e, 2500)).toBe(false);
  });

  it('a peer is live when any runtime is, stopped when one is stopped, unknown without the supervisor', async () => {
    const list = async () => [
      { personality: 'a', runtimes: ['claude', 'codex'], default_runtime: 'claude' },
      { personality: 'b', runtimes: ['claude'], default_runtime: 'claude' },
      { personality: 'c', runtimes: ['claude'], default_runtime: 'claude' },
    ];
    const states = async () => [
      { personality: 'a', status: 'asleep' as const },
      { personality: 'a', status: 'live' as const },
      { personality: 'b', status: 'stopped' as const },
    ];
    expect((await readLocalPeers({ list, states })).map((p) => [p.name, p.state])).toEqual([
      ['a', 'live'],
      ['b', 'stopped'],
      ['c', 'asleep'],
    ]);
    const down = await readLocalPeers({ list, states: () => Promise.reject(new Error('down')) });
    expect(down.map((p) => p.state)).toEqual(['unknown', 'unknown', 'unknown']);
  });
});
