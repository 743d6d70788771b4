// `npm run bench -- delivery [--quick]`: latency of one verified delivery (§6.3: paste,
// seen in the input area, Enter, input row cleared) into a live fake agent over the tmux
// control connection (libs/tmux: one `tmux -C` client per server), against two baselines
// measured in the same run, samples interleaved so all see the same load:
//   - the control-mode floor: one paste over the connection + the first %output echo of
//     the fake agent (the physical limit: the agent's own echo time plus one round trip);
//   - today's spawn path: the same `deliver` through a driver with `control: false`
//     (one tmux process per command, waits woken by fs.watch on the pipe-pane log).
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '@iapeer/core';
import { deliver, launch, loadRuntimes, type RuntimeAdapter } from '@iapeer/runtimes';
import { installFakeRuntime, makeSandbox, readFakeTranscript } from '@iapeer/testing';
import { createTmuxDriver } from '@iapeer/tmux';
import os from 'node:os';
import { isQuick, repoRoot, summarize, writeResult } from '../lib/result';

const SHAPES: Array<[string, (i: number) => string]> = [
  ['short', (i) => `short message ${i}`],
  ['multi-line', (i) => `<iap from-personality="b" from-runtime="fake">\nIAP message ${i}\n<message><![CDATA[line one\nline two]]></message>\n</iap>`],
  ['4k', (i) => `long ${i} ${'0123456789'.repeat(400)}`],
];

type Tmux = ReturnType<typeof createTmuxDriver>;

/** One paste over the control connection until the agent's first echo arrives as %output. */
async function floorSample(tmux: Tmux, identity: string): Promise<number> {
  let echoed!: () => void;
  const echo = new Promise<void>((r) => (echoed = r));
  const off = await tmux.onOutput(identity, () => echoed());
  if (!off) throw new Error('no control connection for the floor peer');
  // the subscription's refresh-client is answered before the clock starts
  await tmux.capture(identity);
  const t = performance.now();
  await tmux.paste(identity, 'y');
  await echo;
  const ms = performance.now() - t;
  off();
  return ms;
}

async function main(): Promise<void> {
  const n = isQuick() ? 40 : 240;
  const warmup = isQuick() ? 5 : 20;
  const sandbox = makeSandbox();
  installFakeRuntime(sandbox, { agentPath: path.join(repoRoot(), 'libs/testing/fake-agent/agent.js') });
  const tmux = createTmuxDriver({ sockDir: sandbox.paths.sockDir, baseEnv: sandbox.env });
  const spawnPath = createTmuxDriver({ sockDir: sandbox.paths.sockDir, baseEnv: sandbox.env, control: false });
  const adapter = loadRuntimes({ paths: sandbox.paths, env: sandbox.env }).adapters.get('fake') as RuntimeAdapter;
  const cfg = loadConfig(sandbox.env);
  const peers = ['bench', 'floor', 'spawn'].map((personality) => {
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
    const [target, floorPeer, spawnPeer] = peers;
    const floor: number[] = [];
    const delivery: number[] = [];
    const spawned: number[] = [];
    const byShape = new Map<string, number[]>(SHAPES.map(([name]) => [name, []]));
    const confirmedBy = new Map<string, number>();
    const before = tmux.controlStats();
    for (let i = 0; i < warmup + n; i++) {
      if (i % 50 === 0) {
        // untimed: keeps the floor peer's input short; its redraw (after a 30 ms ESC timer) must not count as an echo
        await tmux.sendKeys(floorPeer.identity, ['Escape']);
        await new Promise((r) => setTimeout(r, 150));
      }
      const [shape, make] = SHAPES[i % SHAPES.length];
      // rotate the order so no series always runs right after another
      const steps: Array<() => Promise<void>> = [
        async () => {
          const f = await floorSample(tmux, floorPeer.identity);
          if (i >= warmup) floor.push(f);
        },
        async () => {
          const t = performance.now();
          const res = await deliver({ tmux, identity: target.identity, adapter, text: make(i), cfg, paneLog: target.paneLog, cwd: target.cwd, env: sandbox.env });
          const d = performance.now() - t;
          if (i < warmup) return;
          delivery.push(d);
          byShape.get(shape)!.push(d);
          confirmedBy.set(res.confirmedBy, (confirmedBy.get(res.confirmedBy) ?? 0) + 1);
        },
        async () => {
          const t = performance.now();
          await deliver({ tmux: spawnPath, identity: spawnPeer.identity, adapter, text: make(i), cfg, paneLog: spawnPeer.paneLog, cwd: spawnPeer.cwd, env: sandbox.env });
          if (i >= warmup) spawned.push(performance.now() - t);
        },
      ];
      for (let k = 0; k < steps.length; k++) await steps[(i + k) % steps.length]();
    }
    const after = tmux.controlStats();
    for (const p of [target, spawnPeer]) {
      const delivered = readFakeTranscript(p.cwd).filter((r) => r.type === 'message').length;
      if (delivered !== warmup + n) throw new Error(`${p.identity}'s transcript holds ${delivered} messages, expected ${warmup + n}`);
    }
    const d = summarize(delivery);
    const f = summarize(floor);
    const sp = summarize(spawned);
    writeResult(
      'delivery',
      { metric: 'verified delivery p50 over the tmux control connection (paste → seen → Enter → cleared)', unit: 'ms', value: +d.p50.toFixed(2), baseline: +f.p50.toFixed(2), ratio: +(d.p50 / f.p50).toFixed(2), goal: '≤ 2x the control-mode floor (paste + %output echo) and ≤ 1/3 of the spawn path' },
      {
        samples: n,
        delivery: d,
        floor: f,
        spawnPath: sp,
        ratioToFloor: +(d.p50 / f.p50).toFixed(2),
        ratioToSpawnPath: +(d.p50 / sp.p50).toFixed(3),
        p99RatioToFloor: +(d.p99 / f.p99).toFixed(2),
        byShape: Object.fromEntries([...byShape].map(([k, v]) => [k, summarize(v)])),
        confirmedBy: Object.fromEntries(confirmedBy),
        controlConnections: { openedDuringRun: after.opened - before.opened, fallbacks: after.fallbacks - before.fallbacks },
        loadAvg: os.loadavg(),
        design: 'one tmux -C client per server; paste = set-buffer + guarded paste-buffer in one control command; waits wake on %output; captures and keys over the same client. Spawn path: execFile per tmux command, waits wake on fs.watch of the pipe-pane log',
        config: { submitTimeoutMs: cfg.submitTimeoutMs, pasteVisibleMs: cfg.pasteVisibleMs, submitWindowMs: cfg.submitWindowMs },
      },
    );
    console.log(`control delivery p50 ${d.p50.toFixed(2)} ms, floor ${f.p50.toFixed(2)} ms (${(d.p50 / f.p50).toFixed(2)}x), spawn path ${sp.p50.toFixed(2)} ms (${(d.p50 / sp.p50).toFixed(3)}); load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    for (const p of peers) await tmux.kill(p.identity);
    await tmux.close();
    sandbox.cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
