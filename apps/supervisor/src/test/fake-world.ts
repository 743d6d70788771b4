import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventFields, EventLog, EventLogName } from '@iapeer/logclient';
import type { LaunchResult, RuntimeAdapter } from '@iapeer/runtimes';
import type { GoneClass } from '@iapeer/tmux';
import type { SupervisorDeps } from '../core/deps';
import type { ExitRecord } from '../core/exits';
import { createKeyedSerializer } from '@iapeer/core';
import { EphemeralQueue } from '../core/ephemeral-queue';
import { MarkerStore } from '../core/markers';
import type { LaunchSpec, SupervisedPeer } from '../core/ports';
import { createWakeLock } from '../core/wake-lock';

/** Captures what the supervisor emits, as the EventLog port. */
export class CapturedEvents implements EventLog {
  readonly lines: Array<{ log: EventLogName; fields: EventFields }> = [];
  emit(log: EventLogName, fields: EventFields): void {
    this.lines.push({ log, fields });
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
  /** logfmt-ish rendering without ts, undefined skipped, for readable assertions. */
  rendered(ev?: string): string[] {
    return this.lines
      .filter((l) => !ev || l.fields.ev === ev)
      .map((l) =>
        Object.entries(l.fields)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${k}=${/[\s"=]/.test(String(v)) ? JSON.stringify(String(v)) : String(v)}`)
          .join(' '),
      );
  }
}

/** A fake TUI adapter: resume works when `transcripts` holds the cwd. */
export function fakeAdapter(name: string, transcripts: Set<string>, kind: 'tui' | 'router' = 'tui'): RuntimeAdapter {
  return {
    name,
    kind,
    buildArgv: () => ['/bin/true'],
    buildEnv: () => ({}),
    bootDialogs: [],
    isInputReady: () => true,
    promptGlyph: '❯',
    resolveResume: (cwd) => (transcripts.has(cwd) ? { ok: true, ref: `uuid-${path.basename(cwd)}` } : { ok: false, reason: `no transcript for ${cwd}` }),
    lastActivityMs: () => null,
    controls: { interrupt: ['Escape'], compact: { text: '/compact', keys: ['Enter'] } },
  };
}

export interface Launch {
  spec: LaunchSpec;
  firstMessage: string;
}

/**
 * An in-memory host: tmux sessions are a Set, the registry a Map, the clock a number.
 * Markers are real files in a temp dir (the store under test is the production one).
 */
export class FakeWorld {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-sup-'));
  readonly lifecycleDir = path.join(this.dir, 'state', 'lifecycle');
  readonly markers = new MarkerStore(this.lifecycleDir);
  readonly queue = new EphemeralQueue(this.lifecycleDir);
  readonly events = new CapturedEvents();
  readonly peers = new Map<string, SupervisedPeer>();
  readonly live = new Set<string>();
  readonly activity = new Map<string, number>();
  readonly managed = new Map<string, 'ours' | 'foreign'>();
  /** bootout/bootstrap calls the core made through the service manager port. */
  readonly managerCalls: Array<['bootout' | 'bootstrap', string]> = [];
  readonly transcripts = new Set<string>();
  readonly launches: Launch[] = [];
  readonly kills: string[] = [];
  readonly gone = new Map<string, GoneClass>();
  /** The pane-died hooks' spool: records by identity, taken by the tick. */
  readonly exitSpool = new Map<string, ExitRecord[]>();
  /** What launch() answers; default READY (and the session becomes live). */
  launchResult: (spec: LaunchSpec) => LaunchResult = (spec) => ({ status: 'READY', identity: spec.identity });
  /** Awaited inside launch(), e.g. to hold a launch open while others pile up. */
  launchGate: Promise<void> = Promise.resolve();
  /** Called at each kill, before the session disappears (ordering checks). */
  onKill: (identity: string) => void = () => {};
  failingIsAlive = new Set<string>();
  now = Date.parse('2026-03-01T12:00:00.000Z');
  config = { idleSecs: 3600, crashLoopMax: 3, crashLoopWindowSecs: 300, bootDeadlineSecs: 240, readyGateSecs: 120, superviseLogVerbose: false, ephemeralQuietSecs: 20, ephemeralUnarmedIdleSecs: 600 };

  addPeer(p: Partial<SupervisedPeer> & { personality: string }): SupervisedPeer {
    const cwd = p.cwd ?? path.join(this.dir, 'peers', p.personality);
    fs.mkdirSync(cwd, { recursive: true });
    const rec: SupervisedPeer = { default_runtime: 'claude', runtimes: ['claude'], description: `${p.personality} peer`, intelligence: 'artificial', ...p, cwd };
    this.peers.set(rec.personality, rec);
    return rec;
  }

  deps(overrides: Partial<SupervisorDeps> = {}): SupervisorDeps {
    const adapters = new Map<string, RuntimeAdapter>([
      ['claude', fakeAdapter('claude', this.transcripts)],
      ['codex', fakeAdapter('codex', this.transcripts)],
      ['telegram', fakeAdapter('telegram', this.transcripts, 'router')],
    ]);
    return {
      markers: this.markers,
      queue: this.queue,
      directory: {
        get: async (p) => this.peers.get(p) ?? null,
        list: async () => [...this.peers.values()],
      },
      liveness: {
        isAlive: async (id) => {
          if (this.failingIsAlive.has(id)) throw new Error(`tmux exploded for ${id}`);
          return this.live.has(id);
        },
        kill: async (id) => {
          this.onKill(id);
          this.kills.push(id);
          this.live.delete(id);
        },
        classifyGone: async (id) => this.gone.get(id) ?? 'session-gone',
        listLive: async () => [...this.live].sort(),
      },
      launcher: {
        launch: async (spec, _adapter, firstMessage) => {
          this.launches.push({ spec, firstMessage });
          await this.launchGate;
          const r = this.launchResult(spec);
          if (r.status === 'READY') this.live.add(spec.identity);
          return r;
        },
      },
      adapters: { get: (rt) => adapters.get(rt) ?? null },
      activity: { lastActivityMs: async (s) => this.activity.get(s.identity) ?? null },
      serviceManager: {
        isManaged: (p) => this.managed.has(p),
        ownership: (p) => this.managed.get(p) ?? 'none',
        describeJob: (p) => ({ label: `iapeer-peer-${p}.service`, file: `/fake/systemd/iapeer-peer-${p}.service` }),
        bootout: async (p) => (this.managerCalls.push(['bootout', p]), { outcome: 'skipped-sandbox' }),
        bootstrap: async (p) => (this.managerCalls.push(['bootstrap', p]), { outcome: 'skipped-sandbox' }),
      },
      events: this.events,
      clock: { now: () => this.now },
      hostFacts: () => ({ platform: 'linux', osVersion: '6.1', user: 'tester', hostname: 'box', today: '2026-03-01' }),
      config: this.config,
      paths: { root: path.join(this.dir, 'root'), home: path.join(this.dir, 'home'), paneLogDir: path.join(this.dir, 'logs', 'lifecycle'), eventLogDir: path.join(this.dir, 'logs', 'iapeer') },
      env: { HOME: path.join(this.dir, 'home') },
      wakeLock: createWakeLock(),
      evalLock: createKeyedSerializer(),
      drainLock: createKeyedSerializer(),
      cwdExists: (cwd) => fs.existsSync(cwd),
      exitSpool: {
        take: (identity) => {
          const ids = identity === undefined ? [...this.exitSpool.keys()].sort() : [identity];
          const out = ids.flatMap((id) => this.exitSpool.get(id) ?? []);
          for (const id of ids) this.exitSpool.delete(id);
          return out;
        },
      },
      ...overrides,
    };
  }

  /** A session as a successful wake leaves it. */
  enrol(identity: string, { wokeAtMs = this.now, live = true }: { wokeAtMs?: number; live?: boolean } = {}): void {
    const [runtime, ...rest] = identity.split('-');
    const personality = rest.join('-');
    const wakePolicy = this.peers.get(personality)?.wakePolicy;
    this.markers.writeSession({ identity, runtime, personality, cwd: this.peers.get(personality)?.cwd ?? this.dir, wokeAt: new Date(wokeAtMs).toISOString(), ...(wakePolicy && { wakePolicy }) });
    if (live) this.live.add(identity);
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
