// `npm run bench -- console [--quick]`: how fast the fleet console shows a change, and what it weighs.
//  1. Latency: a live fake agent is made busy for a moment by each send (ready → busy →
//     ready: two state changes per send). For every change, the supervisor's own reading
//     time (`at`, when it read the screen) against the moment the row's `data-state`
//     changed in the page in Chromium (a MutationObserver, the same host clock). Baseline:
//     the same readings as they reach a plain Node subscriber of `activityChanges`.
//  2. Memory: the console's resident set (VmRSS) with 2 peers, then with 100 registered
//     peers and the page connected.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { ActivityReading } from '@iapeer/contracts';
import { installFakeRuntime, makeSandbox, runCli, TestStack, waitFor } from '@iapeer/testing';
import { isQuick, repoRoot, summarize, writeResult } from '../lib/result';

const quick = isQuick();
const SENDS = quick ? 26 : 60;
const BUSY_MS = 250;
const CHROMIUM = process.env.IAPEER_CHROMIUM ?? '/usr/bin/chromium';
const ms = (v: number) => +v.toFixed(1);

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

async function main(): Promise<void> {
  const sb = makeSandbox({ IAPEER_SUPERVISE_INTERVAL_MS: '3600000', IAPEER_MCP_IDENTITY: 'header-only' });
  installFakeRuntime(sb, { agentPath: path.join(repoRoot(), 'libs/testing/fake-agent/agent.js') });
  const stack = new TestStack(sb);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  try {
    await stack.start();
    for (const name of ['alice', 'bob']) {
      const r = await runCli(['create', name, '--runtime', 'fake'], sb.env);
      if (r.code !== 0) throw new Error(`create ${name}: ${r.stderr}`);
    }
    const consolePid = stack.children.get('console')!.pid!;
    const supervisor = stack.client('supervisor');
    const up = await supervisor.client.wake.mutate({ personality: 'bob', origin: 'cli' });
    if (up.status !== 'READY') throw new Error(`bring-up of bob failed: ${JSON.stringify(up)}`);

    const login = await stack.client('console').client.login.mutate();
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(login.url);
    await page.locator('tr[data-peer="bob"][data-state="ready"]').waitFor({ timeout: 15_000 });
    // every change of bob's row, stamped in the page
    // (a string: this file is type-checked without the DOM library)
    await page.evaluate(`(() => {
      window.__changes = [];
      const row = document.querySelector('tr[data-peer="bob"]');
      new MutationObserver(() => window.__changes.push({ state: row.getAttribute('data-state') || '', t: Date.now() })).observe(row, { attributes: true, attributeFilter: ['data-state'] });
    })()`);
    const rssTwo = rssKb(consolePid);

    // the baseline subscriber: the readings as a Node client of the supervisor gets them
    const readings: { r: ActivityReading; got: number }[] = [];
    const sub = supervisor.client.activityChanges.subscribe({ identities: ['fake-bob'] }, { onData: (r) => readings.push({ r, got: Date.now() }) });
    await waitFor(() => readings.length > 0, 'the first reading');
    readings.length = 0;

    const router = stack.client('router');
    for (let i = 0; i < SENDS; i++) {
      const before = readings.length;
      await router.client.send.mutate({ from: 'fake-alice', personality: 'bob', message: `bench ${i} FAKE:busy=${BUSY_MS}` });
      await waitFor(() => readings.slice(before).some((x) => x.r.state === 'busy') && readings[readings.length - 1].r.state === 'ready', `bob busy then ready after send ${i}`, 10_000, 5);
    }
    sub.unsubscribe();
    await new Promise((r) => setTimeout(r, 500));
    const changes = (await page.evaluate('window.__changes')) as { state: string; t: number }[];

    // pair each reading with the first page change to the same state after it
    const consoleMs: number[] = [];
    const directMs: number[] = [];
    let j = 0;
    for (const { r, got } of readings) {
      while (j < changes.length && (changes[j].t < r.at || changes[j].state !== r.state)) j++;
      if (j >= changes.length) break;
      consoleMs.push(changes[j].t - r.at);
      directMs.push(got - r.at);
      j++;
    }
    if (consoleMs.length < 50 && !quick) throw new Error(`only ${consoleMs.length} changes matched (readings ${readings.length}, page changes ${changes.length})`);

    // 100 peers: the registry gets 98 more, the console's picture and the page follow
    const registry = stack.client('registry');
    for (let i = 0; i < 98; i++) {
      const p = `peer${String(i).padStart(3, '0')}`;
      await registry.client.upsert.mutate({ personality: p, runtime: 'fake', cwd: path.join(sb.paths.peersDir, p) });
    }
    await waitFor(async () => (await page.locator('tr[data-peer]').count()) === 100, 'the page to list 100 peers', 20_000);
    const rssHundred = rssKb(consolePid);

    const c = summarize(consoleMs);
    const d = summarize(directMs);
    writeResult(
      'console',
      {
        metric: 'state change in the supervisor (its screen reading) → the row changed in the page in Chromium, p50',
        unit: 'ms',
        value: ms(c.p50),
        baseline: ms(d.p50),
        ratio: d.p50 > 0 ? +(c.p50 / d.p50).toFixed(2) : null,
        goal: '< 250 ms p50 (baseline: the same reading reaching a Node subscriber of activityChanges)',
      },
      {
        changes: c.n,
        console: { p50: ms(c.p50), p99: ms(c.p99), mean: ms(c.mean), min: ms(c.min), max: ms(c.max) },
        direct: { p50: ms(d.p50), p99: ms(d.p99), mean: ms(d.mean) },
        rss: { twoPeersMiB: +(rssTwo / 1024).toFixed(1), hundredPeersMiB: +(rssHundred / 1024).toFixed(1) },
      },
    );
  } finally {
    await browser.close();
    await runCli(['stop', '--all'], sb.env).catch(() => undefined);
    await stack.stop();
    sb.cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
