/**
 * `npm run bench -- fleet [--quick]`: a send across hosts (docs/fleet.md) against a local
 * send, in the same run. A real `nats-server -js` on a temporary store and a free port,
 * two iapeer roots as hosts hosta and hostb (each with its five services from dist/, real
 * tmux, the fake agent). From hosta's router socket (tRPC `send`, what `iapeer send` uses),
 * interleaved in rotating order:
 *   - local: fake-alice → carl on hosta (live);
 *   - remote: fake-alice → bob@hostb (live): hosta's router → its bridge → NATS stream →
 *     hostb's bridge → hostb's router (verified delivery) → signed answer back.
 * Then throughput: 4 senders at once, remote (and local for scale), sends/s.
 * The run fails unless every message landed exactly once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readFakeTranscript } from '@iapeer/testing';
import { freePort, makeHostKeys, NatsServer, startHost, stopHost, type FleetHostWorld } from '../../apps/e2e/src/support/fleet-world';
import { isQuick, repoRoot, summarize, writeResult } from '../lib/result';

const N = isQuick() ? 30 : 200;
const WARMUP = isQuick() ? 5 : 20;
const PARALLEL = 4;
const BURST = isQuick() ? 40 : 200;
const round = (x: number) => Math.round(x * 1000) / 1000;

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-nats-'));
  const keysA = makeHostKeys('hosta');
  const keysB = makeHostKeys('hostb');
  const nats = new NatsServer(dir, await freePort(), [keysA, keysB]);
  let a: FleetHostWorld | undefined;
  let b: FleetHostWorld | undefined;
  try {
    await nats.start();
    const agent = path.join(repoRoot(), 'libs/testing/fake-agent/agent.js');
    a = await startHost(keysA, nats.url, ['alice', 'carl'], {}, agent);
    b = await startHost(keysB, nats.url, ['bob'], {}, agent);
    const router = a.stack.client('router').client;
    let seq = 0;
    const send = (personality: string, tag: string) => router.send.mutate({ from: 'fake-alice', personality, message: `bench ${tag} #${seq++}` });
    // both targets live before the clock starts (a wake is not what this measures)
    for (let i = 0; ; i++) {
      try {
        await send('bob@hostb', 'warm');
        break;
      } catch (err) {
        if (i > 50) throw err; // the roster is not up yet
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await send('carl', 'warm');

    const series: Record<'local' | 'remote', number[]> = { local: [], remote: [] };
    const steps = { local: () => send('carl', 'lat'), remote: () => send('bob@hostb', 'lat') };
    const names = Object.keys(steps) as (keyof typeof steps)[];
    for (let i = 0; i < WARMUP + N; i++) {
      for (let j = 0; j < names.length; j++) {
        const name = names[(i + j) % names.length];
        const t = performance.now();
        await steps[name]();
        if (i >= WARMUP) series[name].push(performance.now() - t);
      }
    }

    const burst = async (personality: string): Promise<number> => {
      let next = 0;
      const t = performance.now();
      await Promise.all(
        Array.from({ length: PARALLEL }, async () => {
          while (next < BURST) {
            next++;
            await send(personality, 'burst');
          }
        }),
      );
      return BURST / ((performance.now() - t) / 1000);
    };
    const remoteRate = await burst('bob@hostb');
    const localRate = await burst('carl');

    // every message exactly once: numbered sends, counted in the transcripts
    const landed = (sb: FleetHostWorld['sb'], p: string) => readFakeTranscript(path.join(sb.paths.peersDir, p)).filter((r) => r.type === 'message').map((r) => /bench \S+ #(\d+)/.exec(r.text ?? '')?.[1]).filter(Boolean);
    const all = [...landed(a.sb, 'carl'), ...landed(b.sb, 'bob')];
    const exactlyOnce = all.length === seq && new Set(all).size === seq;
    if (!exactlyOnce) throw new Error(`sent ${seq}, landed ${all.length} (${new Set(all).size} distinct)`);

    const local = summarize(series.local);
    const remote = summarize(series.remote);
    const s = (x: ReturnType<typeof summarize>) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, round(v)]));
    writeResult(
      'fleet',
      {
        metric: 'remote send p50 (bob@hostb over local NATS JetStream, verified delivery on the other root)',
        unit: 'ms',
        value: round(remote.p50),
        baseline: round(local.p50),
        ratio: round(remote.p50 / local.p50),
        goal: 'the hop adds < 5 ms p50 over a local send',
      },
      {
        samples: N,
        landedExactlyOnce: exactlyOnce,
        localSend: s(local),
        remoteSend: s(remote),
        addedP50Ms: round(remote.p50 - local.p50),
        throughput: { senders: PARALLEL, sends: BURST, remoteSendsPerSec: round(remoteRate), localSendsPerSec: round(localRate) },
        natsServer: nats.output.join('').match(/Version:\s+(\S+)/)?.[1] ?? 'unknown',
      },
    );
    console.log(`local ${round(local.p50)} ms, remote ${round(remote.p50)} ms (adds ${round(remote.p50 - local.p50)}); ${PARALLEL} senders: remote ${round(remoteRate)}/s, local ${round(localRate)}/s; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    await stopHost(a);
    await stopHost(b);
    await nats.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
