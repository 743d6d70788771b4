// `npm run bench -- delivery [--quick]`: latency of one verified delivery (§6.3: paste,
// seen in the input area, Enter, input row cleared) into a live fake agent, against the
// physical floor measured in the same run: one `tmux send-keys` + one `capture-pane`
// round trip through the same driver. Samples are interleaved so both see the same load.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '@iapeer/core';
import { deliver, launch, loadRuntimes, type RuntimeAdapter } from '@iapeer/runtimes';
import { installFakeRuntime, makeSandbox, readFakeTranscript } from '@iapeer/testing';
import { createTmuxDriver } from '@iapeer/tmux';
import { isQuick, repoRoot, summarize, writeResult } from '../lib/result';

const SHAPES: Array<[string, (i: number) => string]> = [
  ['short', (i) => `short message ${i}`],
  ['multi-line', (i) => `<iap from-personality="b" from-runtime="fake">\nIAP message ${i}\n<message><![CDATA[line one\nline two]]></message>\n</iap>`],
  ['4k', (i) => `long ${i} ${'0123456789'.repeat(400)}`],
];

async function main(): Promise<void> {
  const n = isQuick() ? 40 : 240;
  const warmup = isQuick() ? 5 : 20;
  const sandbox = makeSandbox();
  installFakeRuntime(sandbox, { agentPath: path.join(repoRoot(), 'libs/testing/fake-agent/agent.js') });
  const tmux = createTmuxDriver({ sockDir: sandbox.paths.sockDir, baseEnv: sandbox.env });
  const adapter = loadRuntimes({ paths: sandbox.paths, env: sandbox.env }).adapters.get('fake') as RuntimeAdapter;
  const cfg = loadConfig(sandbox.env);
  const peers = ['bench', 'floor'].map((personality) => {
    const cwd = path.join(sandbox.dir, personality);
    fs.mkdirSync(cwd, { recursive: true });
    const identity = `fake-${personality}`;
    return { cwd, identity, paneLog: path.join(sandbox.paths.paneLogDir, `${identity}.log`), personality };
  });
  try {
    for (const p of peers) {
      const res = await launch({ spec: { ...p, resume: false, env: sandbox.env }, adapter, tmux, cfg });
      if (res.status !== 'READY') throw new Error(`launch ${p.identity} failed: ${JSON.stringify(res)}`);
    }
    const [target, floorPeer] = peers;
    const floor: number[] = [];
    const delivery: number[] = [];
    const byShape = new Map<string, number[]>(SHAPES.map(([name]) => [name, []]));
    const confirmedBy = new Map<string, number>();
    for (let i = 0; i < warmup + n; i++) {
      let t = performance.now();
      await tmux.sendKeys(floorPeer.identity, ['x']);
      await tmux.capture(floorPeer.identity);
      const f = performance.now() - t;

      const [shape, make] = SHAPES[i % SHAPES.length];
      t = performance.now();
      const res = await deliver({ tmux, identity: target.identity, adapter, text: make(i), cfg, paneLog: target.paneLog, cwd: target.cwd, env: sandbox.env });
      const d = performance.now() - t;
      if (i < warmup) continue;
      floor.push(f);
      delivery.push(d);
      byShape.get(shape)!.push(d);
      confirmedBy.set(res.confirmedBy, (confirmedBy.get(res.confirmedBy) ?? 0) + 1);
    }
    const delivered = readFakeTranscript(target.cwd).filter((r) => r.type === 'message').length;
    if (delivered !== warmup + n) throw new Error(`transcript holds ${delivered} messages, expected ${warmup + n}`);
    const d = summarize(delivery);
    const f = summarize(floor);
    writeResult(
      'delivery',
      { metric: 'verified delivery p50 (paste → seen → Enter → cleared)', unit: 'ms', value: +d.p50.toFixed(2), baseline: +f.p50.toFixed(2), ratio: +(d.p50 / f.p50).toFixed(2), goal: 'p50 < 4x floor (send-keys + capture-pane)' },
      {
        samples: n,
        delivery: d,
        floor: f,
        p99Ratio: +(d.p99 / f.p99).toFixed(2),
        byShape: Object.fromEntries([...byShape].map(([k, v]) => [k, summarize(v)])),
        confirmedBy: Object.fromEntries(confirmedBy),
        design: 'execFile per tmux command; paste = load-buffer+paste-buffer in one invocation; waits wake on pane-log (pipe-pane) changes via fs.watch, 25 ms fallback poll',
        config: { submitTimeoutMs: cfg.submitTimeoutMs, pasteVisibleMs: cfg.pasteVisibleMs, submitWindowMs: cfg.submitWindowMs },
      },
    );
  } finally {
    for (const p of peers) await tmux.kill(p.identity);
    sandbox.cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
