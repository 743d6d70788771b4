/**
 * The console's live picture of the fleet. Everything is pushed, nothing is polled by
 * the page: the supervisor's `activityChanges` stream gives screen states, logd's `tail`
 * of lifecycle.log and delivery.log gives the decisions, and each lifecycle decision
 * about a peer re-reads that peer's `state` (asleep / stopped / deaths / queue). A slow
 * safety net (registry list, full state, services' health) runs every few seconds on
 * the server, for what no event announces (a peer created, a service that died).
 */
import type { ActivityReading, Decision, FleetSnapshot, Peer } from '@iapeer/contracts';
import { errorMessage, parseIdentity } from '@iapeer/core';
import { isFailedDelivery, toDecision } from './decision-line';
import { buildSnapshot, type IdentityStatus, type ServiceStatus } from './fleet-model';
import type { ServiceClients, WatchedService } from './services';

export interface FleetFeedOptions {
  clients: ServiceClients;
  /** Health of one service: resolves when it answers, rejects when it does not. */
  probe(name: WatchedService): Promise<void>;
  services: readonly WatchedService[];
  crashLoopMax: number;
  now?: () => number;
  /** Safety-net period (health, registry, full state). @default 3000 */
  sweepMs?: number;
  /** Decision lines kept for a new page. @default 500 */
  keepDecisions?: number;
  onError?: (what: string, err: unknown) => void;
}

type Unsub = { unsubscribe(): void };

const RESUBSCRIBE_MS = 500;
const BACKLOG_LINES = 200;

export class FleetFeed {
  private peers: Peer[] = [];
  private readonly states = new Map<string, IdentityStatus>();
  private readonly activity = new Map<string, ActivityReading>();
  private services: ServiceStatus[];
  private readonly decisions: Decision[] = [];
  private nextId = 0;
  private version = 0;
  private current: FleetSnapshot;
  private emitScheduled = false;
  private stopped = false;
  private readonly subs = new Map<string, Unsub>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly refreshing = new Map<string, Promise<void>>();
  private readonly snapshotListeners = new Set<(s: FleetSnapshot) => void>();
  private readonly decisionListeners = new Set<(d: Decision[]) => void>();
  private readonly now: () => number;

  constructor(private readonly opts: FleetFeedOptions) {
    this.now = opts.now ?? Date.now;
    this.services = opts.services.map((name) => ({ name, up: true }));
    this.current = this.build();
  }

  start(): void {
    this.subscribeActivity();
    void this.startDecisions();
    void this.sweep();
    const t = setInterval(() => void this.sweep(), this.opts.sweepMs ?? 3000);
    t.unref();
    this.timers.add(t);
  }

  stop(): void {
    this.stopped = true;
    for (const s of this.subs.values()) s.unsubscribe();
    this.subs.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.snapshotListeners.clear();
    this.decisionListeners.clear();
  }

  snapshot(): FleetSnapshot {
    return this.current;
  }

  recentDecisions(): Decision[] {
    return [...this.decisions];
  }

  onSnapshot(fn: (s: FleetSnapshot) => void): () => void {
    this.snapshotListeners.add(fn);
    return () => this.snapshotListeners.delete(fn);
  }

  onDecisions(fn: (d: Decision[]) => void): () => void {
    this.decisionListeners.add(fn);
    return () => this.decisionListeners.delete(fn);
  }

  /** Re-reads one peer's state now (after an action, or a decision about it). */
  refreshPeer(personality: string): Promise<void> {
    const running = this.refreshing.get(personality);
    if (running) return running.then(() => this.refreshPeer(personality)); // a second change during a read: read again after
    const p = (async () => {
      try {
        const askedAt = this.now();
        const rows = await this.opts.clients.supervisor.state.query({ personality });
        for (const key of [...this.states.keys()]) if (parseIdentity(key)?.personality === personality) this.states.delete(key);
        for (const r of rows) this.states.set(r.identity, r);
        this.dropEndedReadings(rows, askedAt, (id) => parseIdentity(id)?.personality === personality);
        if (!this.peers.some((p) => p.personality === personality)) await this.refreshPeers();
        this.scheduleEmit();
      } catch (err) {
        this.opts.onError?.(`state of ${personality}`, err);
      } finally {
        this.refreshing.delete(personality);
      }
    })();
    this.refreshing.set(personality, p);
    return p;
  }

  // ── the streams ───────────────────────────────────────────────────────────────

  private later(fn: () => void, ms: number): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(t);
  }

  private subscribeActivity(): void {
    if (this.stopped) return;
    const retry = (why: string, err?: unknown) => {
      this.subs.delete('activity');
      if (err) this.opts.onError?.(why, err);
      this.later(() => this.subscribeActivity(), RESUBSCRIBE_MS);
    };
    // a new subscription first sends the current state of every live session
    const seen = new Set<string>();
    const sub = this.opts.clients.supervisor.activityChanges.subscribe(undefined, {
      onData: (r) => {
        seen.add(r.identity);
        const before = this.activity.get(r.identity);
        this.activity.set(r.identity, r);
        this.scheduleEmit();
        // a session that came up or went away: its status (live/asleep/stopped) changed too
        if (!before || before.state === 'dead' || r.state === 'dead' || before.state === 'booting') {
          const p = parseIdentity(r.identity)?.personality;
          if (p) void this.refreshPeer(p);
        }
      },
      onError: (err) => retry('activity stream', err),
      onComplete: () => retry('activity stream'),
    });
    this.subs.set('activity', sub);
  }

  private async startDecisions(): Promise<void> {
    const backlog: Decision[] = [];
    const ends: Record<'lifecycle' | 'delivery', number | undefined> = { lifecycle: undefined, delivery: undefined };
    for (const log of ['lifecycle', 'delivery'] as const) {
      try {
        const r = await this.opts.clients.logd.query.query({ log, n: BACKLOG_LINES });
        ends[log] = r.end;
        for (const line of r.lines) {
          const d = toDecision(0, log, line);
          if (d) backlog.push(d);
        }
      } catch (err) {
        this.opts.onError?.(`${log} backlog`, err);
      }
    }
    backlog.sort((a, b) => a.ts.localeCompare(b.ts));
    this.addDecisions(backlog.map((d) => ({ ...d, id: this.nextId++ })), false);
    this.tail('lifecycle', ends.lifecycle);
    this.tail('delivery', ends.delivery);
  }

  private tail(log: 'lifecycle' | 'delivery', from: number | undefined): void {
    if (this.stopped) return;
    let pos = from;
    const retry = (err?: unknown) => {
      this.subs.delete(log);
      if (err) this.opts.onError?.(`${log} tail`, err);
      this.later(() => this.tail(log, pos), RESUBSCRIBE_MS);
    };
    const sub = this.opts.clients.logd.tail.subscribe(
      { log, ...(pos !== undefined ? { from: pos } : {}) },
      {
        onData: (item) => {
          pos = item.pos;
          const batch: Decision[] = [];
          for (const line of item.lines) {
            const d = toDecision(this.nextId, log, line);
            if (d) {
              this.nextId++;
              batch.push(d);
            }
          }
          if (batch.length > 0) this.addDecisions(batch, true);
        },
        onError: (err) => retry(err),
        onComplete: () => retry(),
      },
    );
    this.subs.set(log, sub);
  }

  private addDecisions(batch: Decision[], live: boolean): void {
    if (batch.length === 0) return;
    this.decisions.push(...batch);
    const keep = this.opts.keepDecisions ?? 500;
    if (this.decisions.length > keep) this.decisions.splice(0, this.decisions.length - keep);
    for (const fn of this.decisionListeners) fn(batch);
    if (batch.some(isFailedDelivery)) this.scheduleEmit();
    if (!live) return;
    const peers = new Set(batch.filter((d) => d.log === 'lifecycle' && d.peer).map((d) => d.peer!));
    for (const p of peers) void this.refreshPeer(p);
  }

  // ── the safety net ─────────────────────────────────────────────────────────────

  private async refreshPeers(): Promise<void> {
    const r = await this.opts.clients.registry.list.query();
    this.peers = r.peers;
  }

  private async sweep(): Promise<void> {
    const services = await Promise.all(
      this.opts.services.map((name) =>
        this.opts.probe(name).then(
          (): ServiceStatus => ({ name, up: true }),
          (err): ServiceStatus => ({ name, up: false, reason: errorMessage(err) }),
        ),
      ),
    );
    const changed = JSON.stringify(services) !== JSON.stringify(this.services);
    this.services = services;
    try {
      await this.refreshPeers();
      const askedAt = this.now();
      const rows = await this.opts.clients.supervisor.state.query({});
      this.states.clear();
      for (const r of rows) this.states.set(r.identity, r);
      this.dropEndedReadings(rows, askedAt, () => true);
    } catch (err) {
      if (!changed) this.opts.onError?.('sweep', err);
    }
    this.scheduleEmit();
  }

  /**
   * A session that ended is no longer watched by `activityChanges`, so its last reading
   * (`ready`…) would stay forever: once the supervisor says an identity is not live, a
   * reading taken before we asked is dropped (a newer one is from a new session).
   */
  private dropEndedReadings(rows: readonly IdentityStatus[], askedAt: number, inScope: (identity: string) => boolean): void {
    const live = new Set(rows.filter((r) => r.status === 'live').map((r) => r.identity));
    for (const [id, reading] of this.activity) {
      if (inScope(id) && !live.has(id) && reading.at < askedAt) this.activity.delete(id);
    }
  }

  private build(): FleetSnapshot {
    return buildSnapshot(this.version++, {
      peers: this.peers,
      states: this.states,
      activity: this.activity,
      services: this.services,
      failedDeliveries: this.decisions.filter(isFailedDelivery),
      crashLoopMax: this.opts.crashLoopMax,
      now: this.now(),
    });
  }

  /** Many changes in one turn of the event loop make one snapshot; an identical one is not sent. */
  private scheduleEmit(): void {
    if (this.emitScheduled || this.stopped) return;
    this.emitScheduled = true;
    setImmediate(() => {
      this.emitScheduled = false;
      const next = this.build();
      const same = JSON.stringify({ ...next, version: 0, at: 0 }) === JSON.stringify({ ...this.current, version: 0, at: 0 });
      if (same) return;
      this.current = next;
      for (const fn of this.snapshotListeners) fn(next);
    });
  }
}
