// Cost of one supervise tick (docs/behaviour.md §7.6) on a realistic fs-backed markers store:
// N registered peers of which N/10 are live (.session + a pane log whose mtime is the
// activity proxy); the rest are parked (.idle-reaped, .topic, some .deaths), so the
// lifecycle dir has the size it would have. Liveness is injected (an in-memory set) for
// the scaling series, and real tmux (one server per identity running `sleep`) for the
// 1,000 / 100-live headline: the production driver, which reads liveness from one
// persistent control connection per server (connection state + pid checks, no spawn per
// tick). Same run, interleaved: the spawn path (a driver with `control: false`: one
// display-message exec per live session) and the bare `tmux has-session` exec floor.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isQuick, summarize, writeResult } from '../lib/result';
import { createActivityProbe } from '../../apps/supervisor/src/adapters/activity';
import { createTmuxDriver } from '@iapeer/tmux';
import type { SupervisorDeps } from '../../apps/supervisor/src/core/deps';
import { createKeyedSerializer } from '@iapeer/core';
import { EphemeralQueue } from '../../apps/supervisor/src/core/ephemeral-queue';
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
async function measureTmuxFloor(w: World, n = SAMPLES): Promise<number[]> {
  const hasSession = (id: string) => new Promise<void>((resolve, reject) => execFile('tmux', ['-S', w.paths.tmuxSocket(id), 'has-session', '-t', `=${id}`], (err) => (err ? reject(err) : resolve())));
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + n; i++) {
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

function buildWorld(peers: number, liveRatio: number, liveness: 'injected' | 'tmux'): World & { driver: ReturnType<typeof createTmuxDriver>; spawnDriver: ReturnType<typeof createTmuxDriver> } {
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
  const driver = createTmuxDriver({ sockDir: paths.sockDir });
  const spawnDriver = createTmuxDriver({ sockDir: paths.sockDir, control: false });
  const deps: SupervisorDeps = {
    markers,
    queue: new EphemeralQueue(markers.dir),
    directory: { get: async (p) => registry.get(p) ?? null, list: async () => [...registry.values()] },
    liveness: liveness === 'tmux' ? driver : injected,
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
    evalLock: createKeyedSerializer(),
    drainLock: createKeyedSerializer(),
    cwdExists: () => true,
  };
  return { dir, deps, liveIds, paths, driver, spawnDriver };
}

async function measureOnce(w: World, expectLive: number): Promise<void> {
  const out = await superviseTick(w.deps);
  const alive = out.filter((o) => o.action === 'alive').length;
  if (alive !== expectLive) throw new Error(`tick saw ${alive} alive sessions, expected ${expectLive}`);
}

async function measure(w: World, expectLive: number, samples_ = SAMPLES): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + samples_; i++) {
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
      // the first tick opens the connections (one tmux -C per live server): timed apart
      const o0 = performance.now();
      await measureOnce(w, w.liveIds.length);
      const openMs = performance.now() - o0;
      const opened = w.driver.controlStats().opened;
      // interleave the series so machine load hits all alike
      const tick: number[] = [];
      const spawnPath: number[] = [];
      const floor: number[] = [];
      const controlDeps = w.deps;
      const spawnDeps = { ...w.deps, liveness: w.spawnDriver };
      for (let round = 0; round < 2; round++) {
        w.deps = controlDeps;
        tick.push(...(await measure(w, w.liveIds.length)));
        w.deps = spawnDeps;
        spawnPath.push(...(await measure(w, w.liveIds.length, quick ? 3 : 6)));
        floor.push(...(await measureTmuxFloor(w, quick ? 3 : 6)));
      }
      w.deps = controlDeps;
      const stats = w.driver.controlStats();
      if (stats.opened !== opened || stats.fallbacks !== 0) throw new Error(`the measured ticks opened ${stats.opened - opened} connections and fell back ${stats.fallbacks} times: expected none`);
      const s = summarize(tick);
      const sp = summarize(spawnPath);
      const f = summarize(floor);
      tmuxSeries.push({ peers: n, live: w.liveIds.length, msPerTick: s, msPerPeer: s.p50 / n, msPerLive: s.p50 / w.liveIds.length, spawnPathPerTick: sp, tmuxHasSessionFloor: f, firstTickOpeningConnectionsMs: openMs, controlConnections: stats, spawnMsTotal: spawnMs });
      console.log(`real tmux liveness peers=${n} live=${w.liveIds.length}  control p50 ${s.p50.toFixed(2)} ms/tick (${(s.p50 / w.liveIds.length).toFixed(3)} ms/live); spawn path p50 ${sp.p50.toFixed(2)} ms; bare has-session floor p50 ${f.p50.toFixed(2)} ms; first tick (opening ${stats.opened} connections) ${openMs.toFixed(0)} ms`);
    } finally {
      await w.driver.close();
      killAllServers(w.paths);
      fs.rmSync(w.dir, { recursive: true, force: true });
    }
  }

  const headlineRow = (tmuxSeries.find((r) => r.peers === 1000) ?? injected.find((r) => r.peers === 1000)) as { msPerTick: { p50: number }; spawnPathPerTick?: { p50: number } };
  const spawnP50 = headlineRow.spawnPathPerTick?.p50 ?? null;
  writeResult(
    'tick',
    {
      metric: 'supervise tick p50, 1,000 peers / 100 live (real tmux, liveness over control connections), baseline = the spawn path',
      unit: 'ms',
      value: +headlineRow.msPerTick.p50.toFixed(2),
      baseline: spawnP50 === null ? null : +spawnP50.toFixed(2),
      ratio: spawnP50 === null ? null : +(headlineRow.msPerTick.p50 / spawnP50).toFixed(4),
      goal: '< 20 ms per tick at 1,000 / 100 live, linear in live sessions',
    },
    { samplesPerPoint: SAMPLES, concurrency: 8, injectedLiveness: injected, realTmuxLiveness: tmuxSeries, note: 'steady state: every live session is recently active (no reaps), so each sample does the same work; spawnPathPerTick = the same tick with a control:false driver (one display-message exec per live session); tmuxHasSessionFloor = one bare tmux has-session exec per live session at the same concurrency; all measured interleaved', loadAvg: os.loadavg() },
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
