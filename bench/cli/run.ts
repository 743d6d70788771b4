// `npm run bench -- cli [--quick]`: cold start of `iapeer status` (process start to
// exit, the four services up on a throw-away root) against `node -e 0` in the same
// run, interleaved so both see the same machine load. `iapeer --version` (the bundle
// loads, no socket) splits start-up from the four health calls.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeSandbox } from '@iapeer/testing';
import { isQuick, percentile, repoRoot, summarize, writeResult } from '../lib/result';

interface Case {
  name: string;
  args: string[];
  /** What the output must show, so a fast failure is never timed as a fast start. */
  expect: RegExp;
}

/** ms from spawn to exit of one run; throws when it did not do its job. */
function timeOnce(c: Case, env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, c.args, { env, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0 || !c.expect.test(r.stdout)) throw new Error(`${c.name} failed (exit ${r.status}): ${r.stdout}${r.stderr}`);
  return ms;
}

const figures = (samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  const sum = summarize(samples);
  return { n: sum.n, medianMs: r(percentile(s, 50)), p90Ms: r(percentile(s, 90)), minMs: r(sum.min), maxMs: r(sum.max), samples: samples.map(r) };
};

function main(): void {
  const root = repoRoot();
  const quick = isQuick();
  const loadAvgAtStart = os.loadavg().map((l) => Math.round(l * 100) / 100);
  const runs = quick ? 15 : 60;
  const build = spawnSync(process.execPath, [path.join(root, 'tools', 'build.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
  const bin = path.join(root, 'bin', 'iapeer');
  const bundle = path.join(root, 'dist', 'apps', 'cli', 'main.js');

  const sb = makeSandbox();
  const up = spawnSync(process.execPath, [bin, 'up', '--root', sb.root], { env: sb.env, encoding: 'utf8' });
  if (up.status !== 0) throw new Error(`iapeer up failed: ${up.stdout}${up.stderr}`);
  try {
    const cases: Case[] = [
      { name: 'node -e 0', args: ['-e', '0'], expect: /^$/ },
      { name: 'iapeer status', args: [bin, 'status', '--root', sb.root], expect: /router\s+up/ },
      { name: 'iapeer --version', args: [bin, '--version'], expect: /^\d+\.\d+\.\d+/ },
    ];
    for (const c of cases) timeOnce(c, sb.env); // warm the page cache
    const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
    for (let i = 0; i < runs; i++) for (const c of cases) samples.get(c.name)?.push(timeOnce(c, sb.env));

    const [node, status, version] = cases.map((c) => figures(samples.get(c.name) ?? []));
    for (const [c, f] of cases.map((c, i) => [c, [node, status, version][i]] as const)) {
      console.log(`${c.name.padEnd(17)} median ${String(f.medianMs).padStart(6)} ms  p90 ${String(f.p90Ms).padStart(6)} ms  (n=${f.n})`);
    }
    const ratio = Math.round((status.medianMs / node.medianMs) * 100) / 100;
    console.log(`iapeer status / node -e 0: ${ratio}x, +${Math.round((status.medianMs - node.medianMs) * 10) / 10} ms`);
    writeResult(
      'cli',
      { metric: 'median cold start of `iapeer status` (services up), baseline `node -e 0`', unit: 'ms', value: status.medianMs, baseline: node.medianMs, ratio, goal: 'median within 2x of bare node' },
      {
        loadAvgAtStart,
        runs,
        bundleBytes: fs.statSync(bundle).size,
        nodeE0: node,
        iapeerStatus: status,
        iapeerVersion: version,
        addedMs: { status: Math.round((status.medianMs - node.medianMs) * 10) / 10, loadOnly: Math.round((version.medianMs - node.medianMs) * 10) / 10, healthCalls: Math.round((status.medianMs - version.medianMs) * 10) / 10 },
      },
    );
  } finally {
    spawnSync(process.execPath, [bin, 'down', '--root', sb.root], { env: sb.env, stdio: 'ignore' });
    sb.cleanup();
  }
}

main();
