// `npm run bench -- logd [--quick]`: events/s end to end (producer processes → logd →
// rotated files) against the original's in-process way (appendFileSync with a statSync
// rotation check per line), the caller's cost of one emit against the baseline's cost
// per line, and the rotation libraries inside logd's use case (rotators.ts).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolvePaths } from '@iapeer/core';
import { createEventLog } from '@iapeer/logclient';
import { connect } from '@iapeer/rpc';
import type { LogdRouter } from '@iapeer/contracts';
import { isQuick, repoRoot, summarize, writeResult } from '../lib/result';
import { spawnProducer, type ProducerReport } from '../../apps/logd/src/testing/spawn-producer';
import { measureRotators } from './rotators';

const quick = isQuick();
const TOTAL = quick ? 40_000 : 200_000;
const PRODUCERS = 4;
const MAX_BYTES = 1024 * 1024;
const KEEP = 5;
const pad = 'x'.repeat(16);
const lineOf = (p: number, seq: number) => `ts=${new Date().toISOString()} ev=load p=${p} seq=${seq} pad=${pad}`;

/** The original's way: one statSync + appendFileSync per line, rotation by renames. */
function baseline(dir: string, total: number) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'lifecycle.log');
  const perLineNs: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const s = process.hrtime.bigint();
    const line = lineOf(0, i) + '\n';
    let size = 0;
    try {
      size = fs.statSync(file).size;
    } catch {
      size = 0; // first line: no file yet
    }
    if (size > 0 && size + Buffer.byteLength(line) > MAX_BYTES) {
      try {
        fs.unlinkSync(`${file}.${KEEP}`);
      } catch {
        /* not there yet */
      }
      for (let k = KEEP - 1; k >= 1; k--) {
        try {
          fs.renameSync(`${file}.${k}`, `${file}.${k + 1}`);
        } catch {
          /* not there yet */
        }
      }
      fs.renameSync(file, `${file}.1`);
    }
    fs.appendFileSync(file, line, { mode: 0o600 });
    perLineNs.push(Number(process.hrtime.bigint() - s));
  }
  const ms = performance.now() - t0;
  return { eventsPerSec: Math.round((total / ms) * 1000), perLineUs: summarize(perLineNs.map((n) => n / 1000)) };
}

async function main() {
  const root = repoRoot();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-bench-logd-'));
  const env: NodeJS.ProcessEnv = { ...process.env, IAPEER_ROOT: path.join(work, 'root'), HOME: path.join(work, 'home'), IAPEER_TEST_SANDBOX: '1', IAPEER_LIFECYCLE_LOG_MAX_BYTES: String(MAX_BYTES), IAPEER_LIFECYCLE_LOG_KEEP: String(KEEP) };
  fs.mkdirSync(env.HOME!, { recursive: true });
  const paths = resolvePaths(env);
  const logdMain = path.join(root, 'dist', 'apps', 'logd', 'main.js');
  if (!fs.existsSync(logdMain)) throw new Error('dist/apps/logd/main.js is missing: run `npm run build` first');

  const base = baseline(path.join(work, 'baseline'), TOTAL);
  console.log(`baseline appendFileSync+statSync: ${base.eventsPerSec} lines/s, p50 ${base.perLineUs.p50.toFixed(2)} µs/line`);

  const logd = spawn(process.execPath, [logdMain], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  process.once('exit', () => logd.kill('SIGKILL')); // never leave logd behind, even on a failed run
  const probe = connect<LogdRouter>({ service: 'logd', socketPath: paths.serviceSocket('logd'), retryMs: 10_000, waitForMissing: true });
  await probe.client.health.query();
  // esbuild cannot run from inside this bundle: build the producer in a child node
  const script = path.join(root, 'tmp', 'bench', 'logd-producer.js');
  const built = spawnSync(process.execPath, ['-e', `require('esbuild').buildSync({ entryPoints: ['apps/logd/src/testing/producer.ts'], outfile: ${JSON.stringify(script)}, bundle: true, platform: 'node', target: 'node20', format: 'cjs', tsconfig: 'tsconfig.base.json', logLevel: 'warning' })`], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('could not bundle the producer');
  const runs: { eventsPerSec: number; reports: ProducerReport[] }[] = [];
  for (let r = 0; r < (quick ? 1 : 3); r++) {
    const producers = Array.from({ length: PRODUCERS }, (_, id) =>
      spawnProducer(script, { socketPath: paths.serviceSocket('logd'), id, count: TOTAL / PRODUCERS, log: 'lifecycle', pace: 'backpressure' }, env),
    );
    const reports = await Promise.all(producers.map((p) => p.done));
    const span = Math.max(...reports.map((x) => x.endedAt)) - Math.min(...reports.map((x) => x.startedAt));
    runs.push({ eventsPerSec: Math.round((TOTAL / span) * 1000), reports });
    console.log(`end to end run ${r + 1}: ${runs[r].eventsPerSec} events/s (${PRODUCERS} producer processes, ${TOTAL} events, dropped ${reports.reduce((n, x) => n + x.dropped, 0)})`);
  }
  fs.rmSync(script, { force: true });

  // the caller's cost of one emit, in this process, logd running
  const events = createEventLog({ socketPath: paths.serviceSocket('logd'), service: 'bench' });
  const emitNs: number[] = [];
  for (let i = 0; i < TOTAL / 2; ) {
    for (const end = i + 1000; i < end; i++) {
      const s = process.hrtime.bigint();
      events.emit('delivery', { ev: 'delivery', path: 'cli', caller: 'claude-ann', to: 'boris', ok: true, ms: i % 50, seq: i });
      emitNs.push(Number(process.hrtime.bigint() - s));
    }
    while (events.pending() > 4000) await new Promise((r) => setTimeout(r, 1));
  }
  await events.close();
  const emitUs = summarize(emitNs.map((n) => n / 1000));
  console.log(`emit: p50 ${emitUs.p50.toFixed(3)} µs, p99 ${emitUs.p99.toFixed(3)} µs`);
  probe.close();
  logd.kill('SIGTERM');
  await new Promise((r) => logd.once('exit', r));

  const rotators = await measureRotators(quick ? 20_000 : 100_000, 100 * 1024);
  for (const [k, v] of Object.entries(rotators)) console.log(`${k}: ${JSON.stringify(v)}`);
  fs.rmSync(work, { recursive: true, force: true });

  const e2e = runs.map((r) => r.eventsPerSec).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  writeResult(
    'logd',
    { metric: 'events/s end to end (4 producer processes → logd → rotated files)', unit: 'events/s', value: e2e, baseline: base.eventsPerSec, ratio: +(e2e / base.eventsPerSec).toFixed(2), goal: '≥ 1 (baseline: in-process appendFileSync + statSync per line)' },
    {
      setup: { events: TOTAL, producers: PRODUCERS, maxBytes: MAX_BYTES, keep: KEEP, lineBytes: Buffer.byteLength(lineOf(0, 100000)) + 1 },
      endToEnd: { runs: runs.map((r) => r.eventsPerSec), median: e2e, producerEmitNsPerEvent: runs[runs.length - 1].reports.map((x) => +x.emitNsPerEvent.toFixed(0)) },
      baseline: base,
      emit: { us: emitUs, baselinePerLineP50Us: base.perLineUs.p50, cheaperBy: +(base.perLineUs.p50 / emitUs.p50).toFixed(1), goal: '≥ 10× cheaper than the baseline line' },
      rotators: { lines: quick ? 20_000 : 100_000, limitBytes: 100 * 1024, results: rotators },
    },
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
