// `npm run bench -- state [--quick]`: what the activity state (docs/behaviour.md §6.4) costs.
//  1. Per delivery: the router's paste gate (one `observe` over the control connection:
//     capture-pane + list-clients, then the runtime's screen rules) before a verified
//     delivery into a live fake agent; against the same delivery without it, interleaved.
//  2. Per tick at 100 live sessions (real tmux, one server each, a 220x50 screen): one
//     supervise tick, and the same tick followed by a state read of every live session
//     (what an `activityChanges` pulse costs), interleaved.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createKeyedSerializer, loadConfig, resolvePaths } from '@iapeer/core';
import { combineWithHumans, deliver, launch, loadRuntimes, readScreen, type RuntimeAdapter } from '@iapeer/runtimes';
import { fakeRuntimeManifest, installFakeRuntime, makeSandbox } from '@iapeer/testing';
import { createTmuxDriver } from '@iapeer/tmux';
import { RuntimeManifestSchema, createClaudeAdapter, createCodexAdapter, createManifestAdapter } from '@iapeer/runtimes';
import { isQuick, repoRoot, summarize, writeResult } from '../lib/result';
import { createActivityProbe } from '../../apps/supervisor/src/adapters/activity';
import { readActivity } from '../../apps/supervisor/src/core/activity';
import type { SupervisorDeps } from '../../apps/supervisor/src/core/deps';
import { mapLimit } from '../../apps/supervisor/src/core/map-limit';
import { EphemeralQueue } from '../../apps/supervisor/src/core/ephemeral-queue';
import { MarkerStore } from '../../apps/supervisor/src/core/markers';
import { TICK_CONCURRENCY, superviseTick } from '../../apps/supervisor/src/core/tick';
import { createWakeLock } from '../../apps/supervisor/src/core/wake-lock';
import { killAllServers, spawnSleeper } from '../../apps/supervisor/src/test/real-tmux';

const quick = isQuick();
const us = (ms: number) => +(ms * 1000).toFixed(1);

async function perDelivery(): Promise<Record<string, unknown>> {
  const n = quick ? 30 : 150;
  const warmup = 5;
  const sandbox = makeSandbox();
  installFakeRuntime(sandbox, { agentPath: path.join(repoRoot(), 'libs/testing/fake-agent/agent.js') });
  const tmux = createTmuxDriver({ sockDir: sandbox.paths.sockDir, baseEnv: sandbox.env });
  const adapter = loadRuntimes({ paths: sandbox.paths, env: sandbox.env }).adapters.get('fake') as RuntimeAdapter;
  const cfg = loadConfig(sandbox.env);
  const cwd = path.join(sandbox.dir, 'bench');
  fs.mkdirSync(cwd, { recursive: true });
  const identity = 'fake-bench';
  const paneLog = path.join(sandbox.paths.paneLogDir, `${identity}.log`);
  try {
    const res = await launch({ spec: { cwd, identity, personality: 'bench', paneLog, resume: false, env: sandbox.env }, adapter, tmux, cfg });
    if (res.status !== 'READY') throw new Error(`launch failed: ${JSON.stringify(res)}`);
    const gate: number[] = [];
    const withGate: number[] = [];
    const without: number[] = [];
    const states = new Map<string, number>();
    const read = async () => {
      const t = performance.now();
      const seen = await tmux.observe(identity);
      const s = combineWithHumans(readScreen(adapter, seen.screen), seen.humans);
      const ms = performance.now() - t;
      return { ms, state: s.state };
    };
    for (let i = 0; i < warmup + n; i++) {
      const text = `state bench message ${i}`;
      const steps = [
        async () => {
          const t = performance.now();
          const g = await read();
          if (g.state === 'waiting') throw new Error('the fake agent showed a dialog');
          await deliver({ tmux, identity, adapter, text, cfg, cwd, env: sandbox.env, paneLog });
          const total = performance.now() - t;
          if (i >= warmup) {
            gate.push(g.ms);
            withGate.push(total);
            states.set(g.state, (states.get(g.state) ?? 0) + 1);
          }
        },
        async () => {
          const t = performance.now();
          await deliver({ tmux, identity, adapter, text, cfg, cwd, env: sandbox.env, paneLog });
          if (i >= warmup) without.push(performance.now() - t);
        },
      ];
      if (i % 2) steps.reverse();
      for (const s of steps) await s();
      // keep the screen from scrolling forever: the fake agent's lines pile up, as a real transcript does
    }
    const g = summarize(gate);
    const w = summarize(withGate);
    const o = summarize(without);
    console.log(`paste gate p50 ${us(g.p50)} µs (p99 ${us(g.p99)}); delivery with gate p50 ${w.p50.toFixed(2)} ms, without ${o.p50.toFixed(2)} ms; states read ${JSON.stringify(Object.fromEntries(states))}`);
    return { gateMs: g, deliveryWithGateMs: w, deliveryWithoutMs: o, statesRead: Object.fromEntries(states), control: tmux.controlStats() };
  } finally {
    await tmux.close();
    await tmux.kill(identity).catch(() => undefined);
    sandbox.cleanup();
  }
}

/** A 220x50 screen like a fake agent's ready one (the capture's size is what costs). */
const SCREEN_SCRIPT = `i=0; while [ $i -lt 45 ]; do printf '  ⎿ received message %s (%s chars) ${'x'.repeat(120)}\\n' $i 42; i=$((i+1)); done; printf '❯ '; exec sleep 600`;

async function perTick(): Promise<Record<string, unknown>> {
  const live = 100;
  const samples = quick ? 5 : 20;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-bs-'));
  const paths = resolvePaths({ HOME: dir, IAPEER_ROOT: path.join(dir, 'r') });
  const markers = new MarkerStore(paths.lifecycleDir);
  fs.mkdirSync(paths.paneLogDir, { recursive: true });
  const fake = createManifestAdapter(RuntimeManifestSchema.parse(fakeRuntimeManifest()));
  const ids: string[] = [];
  for (let i = 0; i < live; i++) {
    const personality = `peer-${String(i).padStart(4, '0')}`;
    const identity = `fake-${personality}`;
    markers.writeSession({ identity, runtime: 'fake', personality, cwd: path.join(dir, personality), wokeAt: new Date().toISOString() });
    fs.writeFileSync(path.join(paths.paneLogDir, `${identity}.log`), 'pane\n');
    ids.push(identity);
  }
  const driver = createTmuxDriver({ sockDir: paths.sockDir });
  const deps: SupervisorDeps = {
    markers,
    queue: new EphemeralQueue(markers.dir),
    directory: { get: async () => null, list: async () => [] },
    liveness: driver,
    launcher: { launch: async () => ({ status: 'FAILED', reason: 'bench: no launches' }) },
    adapters: { get: (rt) => (rt === 'fake' ? fake : null) },
    activity: createActivityProbe({ get: () => null }, paths.paneLogDir, {}),
    serviceManager: { isManaged: () => false, ownership: () => 'none', describeJob: (p) => ({ label: p, file: p }), bootout: async () => ({ outcome: 'skipped-sandbox' }), bootstrap: async () => ({ outcome: 'skipped-sandbox' }) },
    events: { emit: () => undefined, flush: async () => undefined, close: async () => undefined },
    clock: { now: () => Date.now() },
    hostFacts: () => ({ platform: 'linux', osVersion: '', user: '', hostname: '', today: '' }),
    config: { idleSecs: 3600, crashLoopMax: 3, crashLoopWindowSecs: 300, bootDeadlineSecs: 240, readyGateSecs: 120, superviseLogVerbose: false, ephemeralQuietSecs: 20, ephemeralUnarmedIdleSecs: 600 },
    paths: { root: paths.root, home: dir, paneLogDir: paths.paneLogDir, eventLogDir: paths.eventLogDir },
    env: {},
    wakeLock: createWakeLock(),
    evalLock: createKeyedSerializer(),
    drainLock: createKeyedSerializer(),
    cwdExists: () => true,
    screens: { observe: (id) => driver.observe(id) },
  };
  try {
    for (const id of ids) spawnSleeper(paths, id, ['sh', '-c', SCREEN_SCRIPT]);
    for (const id of ids) execResize(paths.tmuxSocket(id), id);
    await superviseTick(deps); // opens the connections
    const states = new Map<string, number>();
    const tick: number[] = [];
    const tickPlusState: number[] = [];
    const stateOnly: number[] = [];
    for (let i = 0; i < 3 + samples; i++) {
      const a = performance.now();
      await superviseTick(deps);
      const b = performance.now();
      await superviseTick(deps);
      const c = performance.now();
      const read = await mapLimit(ids, TICK_CONCURRENCY, (id) => readActivity(deps, id));
      const d = performance.now();
      if (i >= 3) {
        tick.push(b - a);
        tickPlusState.push(d - b);
        stateOnly.push(d - c);
        for (const r of read) states.set(r.state, (states.get(r.state) ?? 0) + 1);
      }
    }
    const t = summarize(tick);
    const ts = summarize(tickPlusState);
    const s = summarize(stateOnly);
    console.log(`tick at ${live} live p50 ${t.p50.toFixed(2)} ms; tick + state read of all p50 ${ts.p50.toFixed(2)} ms (state reads alone p50 ${s.p50.toFixed(2)} ms = ${us(s.p50 / live)} µs/session); states ${JSON.stringify(Object.fromEntries(states))}; fallbacks ${driver.controlStats().fallbacks}`);
    return { live, tickMs: t, tickPlusStateMs: ts, stateReadsMs: s, perSessionUs: us(s.p50 / live), statesRead: Object.fromEntries(states), control: driver.controlStats() };
  } finally {
    await driver.close();
    killAllServers(paths);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

import { execFileSync } from 'node:child_process';
/** spawnSleeper makes 80x20 panes; sessions are 220x50 (SpawnSpec default). */
function execResize(sock: string, id: string): void {
  execFileSync('tmux', ['-S', sock, 'resize-window', '-t', `=${id}`, '-x', '220', '-y', '50'], { stdio: 'ignore' });
}

/** The CPU part alone: the screen rules over real captures (µs per read). */
function rulesOnly(): Record<string, number> {
  const root = repoRoot();
  const cases: Array<[string, RuntimeAdapter, string]> = [
    ['claude', createClaudeAdapter({ bin: 'claude', isRoot: () => false }), 'libs/runtimes/src/claude/fixtures/submitted-retrying.txt'],
    ['codex', createCodexAdapter({ bin: 'codex' }), 'libs/runtimes/src/codex/fixtures/compacting.txt'],
    ['fake', createManifestAdapter(RuntimeManifestSchema.parse(fakeRuntimeManifest())), 'libs/testing/fake-agent/fixtures/busy.txt'],
  ];
  const out: Record<string, number> = {};
  for (const [name, adapter, file] of cases) {
    const screen = fs.readFileSync(path.join(root, file), 'utf8');
    for (let i = 0; i < 2000; i++) readScreen(adapter, screen);
    const t = performance.now();
    for (let i = 0; i < 20000; i++) readScreen(adapter, screen);
    out[name] = us((performance.now() - t) / 20000);
  }
  console.log(`screen rules alone (µs per read): ${JSON.stringify(out)}`);
  return out;
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  const rules = rulesOnly();
  const delivery = await perDelivery();
  const tick = await perTick();
  const gate = delivery.gateMs as { p50: number };
  const without = delivery.deliveryWithoutMs as { p50: number };
  writeResult(
    'state',
    {
      metric: 'activity state read before one delivery (router paste gate: observe over the control connection + screen rules) p50, baseline = the verified delivery itself',
      unit: 'µs',
      value: us(gate.p50),
      baseline: us(without.p50),
      ratio: +(gate.p50 / without.p50).toFixed(4),
      goal: '< 1 ms per delivery',
    },
    { rulesUsPerRead: rules, delivery, tick, loadAvgBefore: loadBefore.map((l) => +l.toFixed(2)), note: 'delivery series interleaved (order alternates per round); tick series: tick, then tick + a state read of every live session at the tick concurrency (8), same round' },
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
