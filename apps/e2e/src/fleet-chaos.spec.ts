import { runCli, waitFor } from '@iapeer/testing';
import { connectAs, startTwoHosts, stopTwoHosts, type FleetHostWorld, type NatsServer, type TwoHosts } from './support/fleet-world';
import { messagesOf } from './support/router-stack';

// The fleet under crashes (docs/fleet.md "Failure semantics"): keyed sends from host A to
// bob@hostb flow while B's bridge, the NATS server and A's router are SIGKILLed and
// restarted. Each sender retries with its key until it gets ok, as a careful client
// does; the audit then counts every message in bob's transcript: exactly once each.
describe('fleet chaos: SIGKILL of the remote bridge, the NATS server and the sending router', () => {
  const N = 12;
  const WORKERS = 3;
  let world: TwoHosts;
  let nats: NatsServer;
  let a: FleetHostWorld;
  let b: FleetHostWorld;

  beforeAll(async () => {
    // a send waiting on a dead bridge gives up after 20 s (FLEET_NO_ANSWER) and is retried
    world = await startTwoHosts({ IAPEER_FLEET_TIMEOUT_MS: '20000' });
    ({ nats, a, b } = world);
  }, 180_000);

  afterAll(() => stopTwoHosts(world));

  it('every accepted send is delivered exactly once after the restarts', async () => {
    const marker = (i: number) => `[fleet-chaos-${String(i).padStart(2, '0')}]`;
    const accepted = new Set<number>();
    const failures: string[] = [];
    const deadline = Date.now() + 240_000;

    async function sendUntilOk(i: number): Promise<void> {
      for (;;) {
        const r = await runCli(['send', 'bob@hostb', '--from', 'fake-alice', '--message', `chaos ${marker(i)} payload`, '--idempotency-key', `fc-${i}`, '--json'], a.sb.env, { timeoutMs: 90_000 }).catch(
          (err: Error) => ({ code: -1, stdout: '', stderr: err.message }),
        );
        if (r.code === 0) {
          accepted.add(i);
          return;
        }
        failures.push(`${i}: ${r.stdout.trim() || r.stderr.trim()}`.slice(0, 300));
        if (Date.now() > deadline) throw new Error(`send ${i} never accepted; failures:\n${failures.join('\n')}`);
        // the usual refusal is A's router being down (killed below): retry once it answers
        await a.stack.waitHealthy('router', 60_000);
      }
    }

    // an observer logged in as hosta: B's durable consumer tells when B's bridge holds a
    // message it has not acked yet (delivered to it, its answer not given): mid-stream
    const observer = await connectAs(nats.url, a.keys);
    const queue = Array.from({ length: N }, (_, i) => i);
    const workers = Array.from({ length: WORKERS }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) await sendUntilOk(i);
    });

    const unacked = async () => (await observer.jsm.consumers.info('IAPEER_FLEET', 'bridge-hostb')).num_ack_pending;
    const kills: string[] = [];
    const chaos = (async () => {
      await waitFor(() => accepted.size >= 2, '2 sends accepted', 120_000, 50);
      await waitFor(async () => (await unacked()) > 0, 'a message in B\'s bridge, not acked yet', 120_000, 5);
      await b.stack.kill('bridge');
      kills.push('bridge@hostb');
      // killed holding it: JetStream redelivers it to the restarted bridge
      expect(await unacked()).toBeGreaterThan(0);
      b.stack.spawn('bridge');
      await b.stack.waitHealthy('bridge', 60_000);

      await waitFor(() => accepted.size >= 5, '5 sends accepted', 180_000, 50);
      await waitFor(async () => (await unacked()) > 0, 'a message in flight to B', 120_000, 5);
      // the observer is done: its own reconnect loop is not what this test is about
      await observer.nc.close();
      await nats.kill('SIGKILL');
      kills.push('nats-server');
      await nats.start();

      await waitFor(() => accepted.size >= 8, '8 sends accepted', 180_000, 50);
      await a.stack.kill('router');
      kills.push('router@hosta');
      a.stack.spawn('router');
      await a.stack.waitHealthy('router', 60_000);
    })();

    try {
      await Promise.all([...workers, chaos]);
    } finally {
      if (!observer.nc.isClosed()) await observer.nc.close();
    }
    expect(kills).toEqual(['bridge@hostb', 'nats-server', 'router@hosta']);
    expect(accepted.size).toBe(N);

    // the audit, once no redelivery can still come: B's durable consumer has nothing left
    // to deliver and nothing delivered but unacked
    const counts = () => Array.from({ length: N }, (_, i) => messagesOf(b.sb, 'bob').filter((m) => m.includes(marker(i))).length);
    await waitFor(() => counts().every((c) => c >= 1), 'every accepted send in bob\'s transcript', 30_000, 200);
    const auditor = await connectAs(nats.url, a.keys);
    try {
      await waitFor(
        async () => {
          const info = await auditor.jsm.consumers.info('IAPEER_FLEET', 'bridge-hostb');
          return info.num_pending === 0 && info.num_ack_pending === 0;
        },
        'B\'s consumer drained (nothing pending, nothing unacked)',
        60_000,
        100,
      );
    } finally {
      await auditor.nc.close();
    }
    expect(counts()).toEqual(Array.from({ length: N }, () => 1));
  }, 420_000);
});
