import fs from 'node:fs';
import { chaosOptionsFromEnv } from './chaos/options';
import { formatChaosTable, summarizeChaos } from './chaos/report';
import { runChaos, type ChaosReport } from './chaos/run-chaos';

// Proof under fire (issue 9): 20 fake-agent peers, 4 clients sending with idempotency
// keys, services SIGKILLed and agents killed every few seconds. Whatever was
// acknowledged landed exactly once; whatever failed was retried with its key and landed
// exactly once; the registry is whole; every death has its decision line; nothing is
// left behind. `npm run chaos` runs it longer (CHAOS_SECONDS, default 300) and writes bench/results/chaos.json.
const opts = chaosOptionsFromEnv(process.env, 75);
jest.setTimeout((opts.seconds + opts.drainMs / 1000 + 240) * 1000);

describe(`chaos: ${opts.peers} peers, ${opts.clients} clients, services and agents killed for ${opts.seconds}s`, () => {
  let report: ChaosReport;

  beforeAll(async () => {
    report = await runChaos(opts, (line) => process.stdout.write(line + '\n'));
    const summary = summarizeChaos(report);
    process.stdout.write(formatChaosTable(summary) + '\n');
    // `npm run chaos` (bench/chaos/run.ts) turns this into bench/results/chaos.json
    if (process.env.CHAOS_SUMMARY_FILE) fs.writeFileSync(process.env.CHAOS_SUMMARY_FILE, JSON.stringify(summary, null, 2) + '\n');
  });

  it('injected faults of every kind while sends were running', () => {
    expect(report.sends.length).toBeGreaterThan(0);
    expect(report.faults.length).toBeGreaterThan(0);
  });

  it('every send ended ok (failed attempts were retried with their key)', () => {
    expect(report.sends.filter((s) => !s.ok).map((s) => `${s.id}: ${s.errors.join(', ')}`)).toEqual([]);
  });

  it('every ok send is in its target transcript exactly once: lost = 0, duplicates = 0', () => {
    expect(report.delivery.lost).toEqual([]);
    expect(report.delivery.duplicated).toEqual([]);
    expect(report.delivery.strangers).toEqual([]);
  });

  it('the registry file is valid and holds every peer', () => {
    expect(report.registryProblems).toEqual([]);
  });

  it('lifecycle.log holds a decision line for every agent death', () => {
    expect(report.unloggedDeaths).toEqual([]);
  });

  it('no process and no socket of the root is left behind', () => {
    expect(report.leftProcesses).toEqual([]);
    expect(report.leftSockets).toEqual([]);
  });
});
