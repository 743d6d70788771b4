import { runCli, waitFor } from '@iapeer/testing';
import { createUser, fromSeed } from '@nats-io/nkeys';
import { connectAs, startTwoHosts, stopTwoHosts, type FleetHostWorld, type NatsServer, type TwoHosts } from './support/fleet-world';
import { messagesOf } from './support/router-stack';

// Two hosts on one machine through a real nats-server with JetStream (docs/fleet.md):
// a send to bob@B wakes bob on B and lands once, the sender gets B's RouteResult.
const sign = (seed: string, body: string) => Buffer.from(fromSeed(new TextEncoder().encode(seed)).sign(new TextEncoder().encode(body))).toString('base64');

describe('fleet: two hosts over NATS JetStream', () => {
  let world: TwoHosts;
  let nats: NatsServer;
  let a: FleetHostWorld;
  let b: FleetHostWorld;

  beforeAll(async () => {
    world = await startTwoHosts();
    ({ nats, a, b } = world);
  }, 180_000);

  afterAll(() => stopTwoHosts(world));

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
    expect({ code: r.code, out: r.stdout }).toEqual({ code: 0, out: expect.stringContaining('"ok":true') });
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

  it('a forged identity is refused with FLEET_FORGED and never delivered; a host cannot rewrite another host\'s roster key', async () => {
    const intruder = await connectAs(nats.url, a.keys); // logged in as hosta, a real member
    try {
      const impostor = createUser();
      const attempts = [
        // hosta claims to be one of hostb's own peers, signed with its real key
        { id: 'hosta-forged-1', from: { host: 'hostb', identity: 'fake-bob' }, sign: (body: string) => sign(a.keys.seed, body) },
        // a peer of hosta, but signed with a key that is not hosta's
        { id: 'hosta-forged-2', from: { host: 'hosta', identity: 'fake-alice' }, sign: (body: string) => Buffer.from(impostor.sign(new TextEncoder().encode(body))).toString('base64') },
        // a host nobody knows
        { id: 'hosta-forged-3', from: { host: 'hostc', identity: 'fake-carol' }, sign: (body: string) => sign(a.keys.seed, body) },
      ];
      for (const at of attempts) {
        const body = JSON.stringify({ v: 1, id: at.id, from: at.from, to: { host: 'hostb', personality: 'bob' }, message: `forged ${at.id}`, sentAt: Date.now() });
        const h = intruder.headers();
        h.set('Iapeer-Sig', at.sign(body));
        await intruder.js.publish('iapeer.fleet.send.hostb', body, { msgID: at.id, headers: h });
      }
      for (const at of attempts) {
        const stored = await waitFor(async () => (await intruder.results.get(at.id))?.string(), `B's answer to ${at.id}`, 15_000, 100);
        const reply = JSON.parse(JSON.parse(stored).body);
        expect(reply).toMatchObject({ ok: false, id: at.id, code: 'FLEET_FORGED' });
      }
      expect(messagesOf(b.sb, 'bob').filter((m) => m.includes('forged'))).toEqual([]);
      // the server's permissions: hosta may write its own roster entry only
      await expect(intruder.roster.put('hostb', JSON.stringify({ v: 1, host: 'hostb', publicKey: impostor.getPublicKey(), updatedAt: Date.now(), heartbeatMs: 500, peers: [] }))).rejects.toThrow();
    } finally {
      await intruder.nc.close();
    }
  });

  it('a send to a host that is down fails fast with FLEET_HOST_DOWN; with --queue it is held and lands once when the host is back', async () => {
    await b.stack.kill('bridge');
    await waitFor(async () => {
      const r = await runCli(['list', '--fleet', '--json'], a.sb.env);
      return (JSON.parse(r.stdout) as { host: string; up: boolean }[]).some((h) => h.host === 'hostb' && !h.up);
    }, 'hostb DOWN in the roster', 15_000, 200);
    const started = Date.now();
    const refused = await runCli(['send', 'bob@hostb', '--from', 'fake-alice', '--message', 'not while down', '--json'], a.sb.env);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, code: 'FLEET_HOST_DOWN' });
    const held = await runCli(['send', 'bob@hostb', '--from', 'fake-alice', '--message', 'held for later', '--queue', '--idempotency-key', 'held-1', '--json'], a.sb.env);
    expect(held.code).toBe(0);
    expect(JSON.parse(held.stdout)).toMatchObject({ ok: true, queued: true, queuedBy: 'fleet', delivered_to: { personality: 'bob', runtime: 'fake' } });
    expect(messagesOf(b.sb, 'bob').filter((m) => m.includes('held for later'))).toEqual([]);
    b.stack.spawn('bridge');
    await b.stack.waitHealthy('bridge');
    await waitFor(() => messagesOf(b.sb, 'bob').some((m) => m.includes('held for later')), 'the held message in bob\'s transcript once hostb is back', 20_000, 100);
    // the retry of the held send now gets B's answer, and nothing lands twice
    const retry = await runCli(['send', 'bob@hostb', '--from', 'fake-alice', '--message', 'held for later', '--queue', '--idempotency-key', 'held-1', '--json'], a.sb.env);
    expect(retry.code).toBe(0);
    expect(messagesOf(b.sb, 'bob').filter((m) => m.includes('held for later')).length).toBe(1);
    expect(messagesOf(b.sb, 'bob').filter((m) => m.includes('not while down'))).toEqual([]);
  });
});
