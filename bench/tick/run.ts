// Cost of one supervise tick (docs/behaviour.md §7.6) on a realistic fs-backed markers store:
// N registered peers of which N/10 are live (.session + a pane log whose mtime is the
// activity proxy); the rest are parked (.idle-reaped, .topic, some .deaths), so the
// lifecycle dir has the size it would have. Liveness is injected (an in-memory set) for
// the scaling series, and real tmux (one server per identity running `sleep`) for the
// 1,000 / 100-live headline. No baseline: this is a budget check (< 1 s per tick, linear).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isQuick, summarize, writeResult } from '../lib/result';
import { createActivityProbe } from '../../apps/supervisor/src/adapters/activity';
import { createTmuxDriver } from '@iapeer/tmux';
import type { SupervisorDeps } from '../../apps/supervisor/src/core/deps';
import { EphemeralQueue } from '../../apps/supervisor/src/core/ephemeral-queue';
import { KeyedMutex } from '../../apps/supervisor/src/core/keyed-mutex';
import { MarkerStore } from '../../apps/supervisor/src/core/markers';
import type { Liveness, SupervisedPeer } from '../../apps/supervisor/src/core/ports';
import { superviseTick } from '../../apps/supervisor/src/core/tick';
import { createWakeLock } from '../../apps/supervisor/src/core/wake-lock';
import { killAllServers, spawnSleeper } from '../../apps/supervisor/src/test/real-tmux';
import { resolvePaths } from '@iapeer/core';
import { execFile } from 'node:child_process';
import { mapLimit } from '../../apps/supervisor/src/core/map-limit';
import { TICK_CONCURRENCY } from '../../apps/supervisor/src/core/tick';

/** The floor any tmux-backed tick pays: one bare `tmux has-session` per live session, same concurrency. */
async function measureTmuxFloor(w: World): Promise<number[]> {
  const hasSession = (id: string) => new Promise<void>((resolve, reject) => execFile('tmux', ['-S', w.paths.tmuxSocket(id), 'has-session', '-t', `=${id}`], (err) => (err ? reject(err) : resolve())));
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const t0 = performance.now();
    await mapLimit(w.liveIds, TICK_CONCURRENCY, hasSession);
    if (i >= WARMUP) samples.push(performance.now() - t0);
  }
  return samples;
}

const quick = isQuick();
const SAMPLES = quick ? 5 : 20;
const WARMUP = 3;

interface World {
  dir: string;
  deps: SupervisorDeps;
  liveIds: string[];
  paths: ReturnType<typeof resolvePaths>;
}

function buildWorld(peers: number, liveRatio: number, liveness: 'injected' | 'tmux'): World {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-bt-'));
  const paths = resolvePaths({ HOME: dir, IAPEER_ROOT: path.join(dir, 'r') });
  const markers = new MarkerStore(paths.lifecycleDir);
  fs.mkdirSync(paths.paneLogDir, { recursive: true });
  const now = Date.now();
  const registry = new Map<string, SupervisedPeer>();
  const live = new Set<string>();
  const liveIds: string[] = [];
  const every = Math.round(1 / liveRatio);
  for (let i = 0; i < peers; i++) {
    const personality = `peer-${String(i).padStart(4, '0')}`;
    const identity = `claude-${personality}`;
    const cwd = path.join(dir, 'w', personality);
    registry.set(personality, { personality, default_runtime: 'claude', runtimes: ['claude'], cwd, description: '', intelligence: 'artificial' });
    if (i % every === 0) {
      markers.writeSession({ identity, runtime: 'claude', personality, cwd, wokeAt: new Date(now - 60_000).toISOString() });
      fs.writeFileSync(path.join(paths.paneLogDir, `${identity}.log`), 'pane\n');
      live.add(identity);
      liveIds.push(identity);
    } else {
      markers.set(identity, 'idle-reaped', new Date(now));
      markers.addTopic(identity, `topic-${i % 7}`);
      if (i % 5 === 0) markers.recordDeath(identity, now - 1000);
    }
  }
  const injected: Liveness = {
    isAlive: async (id) => live.has(id),
    kill: async (id) => void live.delete(id),
    classifyGone: async () => 'session-gone',
    listLive: async () => [...live],
  };
  const deps: SupervisorDeps = {
    markers,
    queue: new EphemeralQueue(markers.dir),
    directory: { get: async (p) => registry.get(p) ?? null, list: async () => [...registry.values()] },
    liveness: liveness === 'tmux' ? createTmuxDriver({ sockDir: paths.sockDir }) : injected,
    launcher: { launch: async () => ({ status: 'FAILED', reason: 'bench: no launches' }) },
    adapters: { get: () => null },
    activity: createActivityProbe({ get: () => null }, paths.paneLogDir, {}),
    serviceManager: { isManaged: (p) => fs.existsSync(path.join(paths.launchAgentsDir, `com.iapeer.${p}.plist`)), ownership: () => 'none', describeJob: (p) => ({ label: `com.iapeer.${p}`, file: path.join(paths.launchAgentsDir, `com.iapeer.${p}.plist`) }), bootout: async () => ({ outcome: 'skipped-sandbox' }), bootstrap: async () => ({ outcome: 'skipped-sandbox' }) },
    events: { emit: () => undefined, flush: async () => undefined, close: async () => undefined },
    clock: { now: () => Date.now() },
    hostFacts: () => ({ platform: 'linux', osVersion: '', user: '', hostname: '', today: '' }),
    config: { idleSecs: 3600, crashLoopMax: 3, crashLoopWindowSecs: 300, bootDeadlineSecs: 240, readyGateSecs: 120, superviseLogVerbose: false, ephemeralQuietSecs: 20, ephemeralUnarmedIdleSecs: 600 },
    paths: { root: paths.root, home: dir, paneLogDir: paths.paneLogDir, eventLogDir: paths.eventLogDir },
    env: {},
    wakeLock: createWakeLock(),
    evalLock: new KeyedMutex(),
    drainLock: new KeyedMutex(),
    cwdExists: () => true,
  };
  return { dir, deps, liveIds, paths };
}

async function measure(w: World, expectLive: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const t0 = performance.now();
    const out = await superviseTick(w.deps);
    const ms = performance.now() - t0;
    const alive = out.filter((o) => o.action === 'alive').length;
    if (alive !== expectLive) throw new Error(`tick saw ${alive} alive sessions, expected ${expectLive}: ${JSON.stringify(out.find((o) => o.action !== 'alive'))}`);
    if (i >= WARMUP) samples.push(ms);
  }
  return samples;
}

async function main(): Promise<void> {
  const sizes = [100, 300, 1000];
  const injected: Record<string, unknown>[] = [];
  for (const n of sizes) {
    const w = buildWorld(n, 0.1, 'injected');
    const s = summarize(await measure(w, w.liveIds.length));
    injected.push({ peers: n, live: w.liveIds.length, msPerTick: s, msPerPeer: s.p50 / n, msPerLive: s.p50 / w.liveIds.length });
    fs.rmSync(w.dir, { recursive: true, force: true });
    console.log(`injected liveness  peers=${n} live=${w.liveIds.length}  p50 ${s.p50.toFixed(2)} ms/tick  ${(s.p50 / n * 1000).toFixed(1)} µs/peer`);
  }

  const tmuxSeries: Record<string, unknown>[] = [];
  for (const n of quick ? [1000] : sizes) {
    const w = buildWorld(n, 0.1, 'tmux');
    try {
      const t0 = performance.now();
      for (const id of w.liveIds) spawnSleeper(w.paths, id);
      const spawnMs = performance.now() - t0;
      // interleave tick and floor samples so machine load hits both alike
      const tick: number[] = [];
      const floor: number[] = [];
      for (let round = 0; round < 2; round++) {
        tick.push(...(await measure(w, w.liveIds.length)));
        floor.push(...(await measureTmuxFloor(w)));
      }
      const s = summarize(tick);
      const f = summarize(floor);
      tmuxSeries.push({ peers: n, live: w.liveIds.length, msPerTick: s, msPerPeer: s.p50 / n, msPerLive: s.p50 / w.liveIds.length, tmuxHasSessionFloor: f, tickOverFloorMs: s.p50 - f.p50, spawnMsTotal: spawnMs });
      console.log(`real tmux liveness peers=${n} live=${w.liveIds.length}  p50 ${s.p50.toFixed(2)} ms/tick  ${(s.p50 / w.liveIds.length).toFixed(2)} ms/live session; bare has-session floor p50 ${f.p50.toFixed(2)} ms`);
    } finally {
      killAllServers(w.paths);
      fs.rmSync(w.dir, { recursive: true, force: true });
    }
  }

  const headlineRow = (tmuxSeries.find((r) => r.peers === 1000) ?? injected.find((r) => r.peers === 1000)) as { msPerTick: { p50: number } };
  writeResult(
    'tick',
    { metric: 'supervise tick p50, 1,000 peers / 100 live (real tmux liveness)', unit: 'ms', value: +headlineRow.msPerTick.p50.toFixed(2), baseline: null, ratio: null, goal: '< 1 s per tick, linear' },
    { samplesPerPoint: SAMPLES, concurrency: 8, injectedLiveness: injected, realTmuxLiveness: tmuxSeries, note: 'steady state: every live session is recently active (no reaps), so each sample does the same work; tmuxHasSessionFloor = one bare tmux has-session exec per live session at the same concurrency, measured interleaved with the ticks', loadAvg: os.loadavg() },
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
