import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, waitFor } from '@iapeer/testing';
import { freePort, makeHostKeys, NatsServer, startHost, stopHost, type FleetHostWorld } from './support/fleet-world';
import { messagesOf } from './support/router-stack';

// Two hosts on one machine through a real nats-server with JetStream (docs/fleet.md):
// a send to bob@B wakes bob on B and lands once, the sender gets B's RouteResult.
describe('fleet: two hosts over NATS JetStream', () => {
  let dir: string;
  let nats: NatsServer;
  let a: FleetHostWorld;
  let b: FleetHostWorld;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-nats-'));
    const keysA = makeHostKeys('hosta');
    const keysB = makeHostKeys('hostb');
    nats = new NatsServer(dir, await freePort(), [keysA, keysB]);
    await nats.start();
    [a, b] = await Promise.all([startHost(keysA, nats.url, ['alice']), startHost(keysB, nats.url, ['bob'])]);
    // both hosts in the roster, seen from A
    await waitFor(async () => {
      const r = await runCli(['list', '--fleet', '--json'], a.sb.env);
      const hosts = r.code === 0 ? (JSON.parse(r.stdout) as { host: string; peers: unknown[] }[]) : [];
      return hosts.filter((h) => h.peers.length > 0).length === 2;
    }, 'both hosts with their peers in the roster', 20_000, 200);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([stopHost(a), stopHost(b)]);
    await nats?.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('`iapeer list --fleet` shows every host\'s peers with their state', async () => {
    const r = await runCli(['list', '--fleet'], b.sb.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^hosta {2}up {2}1 peer\(s\)/m);
    expect(r.stdout).toMatch(/^hostb \(this host\) {2}up/m);
    expect(r.stdout).toMatch(/alice@hosta\s+asleep\s+fake/);
    expect(r.stdout).toMatch(/bob@hostb\s+asleep\s+fake/);
  });

  it('a send from A to bob@hostb (asleep) wakes bob on B, lands once, and A gets B\'s RouteResult', async () => {
    const r = await runCli(['send', 'bob@hostb', '--from', 'fake-alice', '--message', 'across the fleet', '--topic', 'fleet', '--json'], a.sb.env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, woke: true, delivered_to: { personality: 'bob', runtime: 'fake' } });
    const got = messagesOf(b.sb, 'bob').filter((m) => m.includes('across the fleet'));
    expect(got).toHaveLength(1);
    // the remote caller is identity@host: bob's reply goes back across the fleet
    expect(got[0]).toContain('from-personality="alice@hosta"');
    expect(got[0]).toContain('topic="fleet"');
  });

  it('a bare name only one remote host has goes there; the answer names the remote peer', async () => {
    const r = await runCli(['send', 'bob', '--from', 'fake-alice', '--message', 'bare name hop', '--json'], a.sb.env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, woke: false, delivered_to: { personality: 'bob' } });
    await waitFor(() => messagesOf(b.sb, 'bob').filter((m) => m.includes('bare name hop')).length === 1, 'the bare-name message in bob\'s transcript');
  });

  it('bob answers alice@hosta: the reply crosses back', async () => {
    const r = await runCli(['send', 'alice@hosta', '--from', 'fake-bob', '--message', 'reply from B', '--json'], b.sb.env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, woke: true, delivered_to: { personality: 'alice', runtime: 'fake' } });
    const got = messagesOf(a.sb, 'alice').filter((m) => m.includes('reply from B'));
    expect(got).toHaveLength(1);
    expect(got[0]).toContain('from-personality="bob@hostb"');
  });

  it('a retried keyed send lands once (the key crosses the hop)', async () => {
    const send = () => runCli(['send', 'bob@hostb', '--from', 'fake-alice', '--message', 'keyed across', '--idempotency-key', 'k-fleet-1', '--json'], a.sb.env);
    const first = await send();
    const second = await send();
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual(JSON.parse(first.stdout));
    expect(messagesOf(b.sb, 'bob').filter((m) => m.includes('keyed across'))).toHaveLength(1);
  });

  it('refuses an unknown host and an unknown name with typed errors, nothing sent', async () => {
    const host = await runCli(['send', 'bob@nowhere', '--from', 'fake-alice', '--message', 'x', '--json'], a.sb.env);
    expect(host.code).toBe(1);
    expect(JSON.parse(host.stdout)).toMatchObject({ ok: false, code: 'FLEET_HOST_UNKNOWN' });
    const name = await runCli(['send', 'nobody', '--from', 'fake-alice', '--message', 'x', '--json'], a.sb.env);
    expect(JSON.parse(name.stdout)).toMatchObject({ ok: false, code: 'PEER_NOT_FOUND' });
  });
});
