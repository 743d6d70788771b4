/**
 * In-memory twins of every router port, for unit and MCP tests: a tiny "world"
 * with a registry, live sessions, transcripts (what landed in each session) and a
 * supervisor whose wake is deliberately NOT serialised, so the router's own
 * per-target queue is what a burst test exercises.
 */
import type { ErrorCode } from '@iapeer/core';
import type { EventFields, EventLogName } from '@iapeer/logclient';
import { codecEnvelopeBuilder } from '../adapters/codec-envelope';
import type { ControlCommand, DeliveryTarget, RoutedPeer, WakeOutcome, WakeRequest } from '../ports';
import { createKeyedSerializer, type KeyedSerializer } from '@iapeer/core';
import { ComposerHold } from '../composer/composer-hold';
import { ComposerQueue, type QueueFs } from '../composer/composer-queue';
import { createFailureNotifier } from '../composer/failure-notice';
import type { SendPipelineDeps } from '../send/handle-send';
import { createIdempotencyStore, type IdempotencyPersistence, type IdempotencyRecord } from '../send/idempotency';

export type WakeBehaviour =
  | { kind: 'spawn' }
  | { kind: 'fail'; reason: string; code?: ErrorCode; stopped?: boolean }
  | { kind: 'ready-but-dead' }
  /** READY without carrying the task, as when a concurrent wake won (§7.4 live fast path). */
  | { kind: 'fast-path' };

export class FakeWorld {
  readonly peers = new Map<string, RoutedPeer>();
  readonly live = new Set<string>();
  /** Identities whose tmux socket is left behind without a session: `mayBeLive` says yes. */
  readonly staleSockets = new Set<string>();
  /** identity → texts that landed there, in order (the boot first-message included). */
  readonly landed = new Map<string, string[]>();
  readonly wakes: WakeRequest[] = [];
  readonly topics: { identity: string; topic: string }[] = [];
  /** identity → the tasks its ephemeral queue holds, oldest first (the supervisor's FIFO). */
  readonly queues = new Map<string, { task: string; topic?: string; sendId?: string }[]>();
  /** `arm` calls, in order. */
  readonly arms: { identity: string; origin: string }[] = [];
  readonly controls: { identity: string; command: ControlCommand }[] = [];
  readonly events: { log: EventLogName; fields: EventFields }[] = [];
  /** identity → reason: the next deliveries there fail (not confirmed). */
  readonly refuseDelivery = new Map<string, string>();
  /** What each session's screen shows (§6.4); absent = ready. */
  readonly screens = new Map<string, { state: 'ready' | 'busy' | 'waiting' | 'held' | 'unknown'; why: string }>();
  readonly routerRuntimes = new Set(['telegram', 'notifier']);
  /** identity → a paste sitting in the input area, never submitted. */
  readonly leftover = new Map<string, string>();
  /**
   * identity → how the next delivery there is cut off, as a router SIGKILL would:
   * after the paste (it stays in the input area) or after the submit (it landed).
   */
  readonly cutOff = new Map<string, 'after-paste' | 'after-submit'>();
  /** identity → compaction-done records in its transcript; absent: the runtime keeps none (null). */
  readonly compactions = new Map<string, number>();
  /** identity → how many records a `compact` adds (default 1; 0: the agent never finishes). */
  readonly compactAdds = new Map<string, number>();
  /** Identities asleep after a clean park (`.idle-reaped`): compact resumes them. */
  readonly parked = new Set<string>();
  /** identity → the session token (`pid:<n>`) while live; absent = `pid:1`. A new value = a replaced session. */
  readonly tokens = new Map<string, string>();
  /** The router's state folder: the composer queue's files (path → text), kept across router "restarts". */
  readonly files = new Map<string, string>();
  /** IAPEER_COMPOSER_QUEUE_TIMEOUT_MS of this world's router. */
  composerTimeoutMs = 120_000;
  private router?: { composer: ComposerHold; targets: KeyedSerializer };
  wakeBehaviour: WakeBehaviour = { kind: 'spawn' };
  nowMs = Date.parse('2026-01-01T00:00:00.000Z');
  deliveries = 0;

  addPeer(p: Partial<RoutedPeer> & { personality: string }): RoutedPeer {
    const rt = p.default_runtime ?? 'claude';
    const rec: RoutedPeer = { default_runtime: rt, runtimes: [rt], intelligence: 'artificial', cwd: `/peers/${p.personality}`, ...p };
    this.peers.set(rec.personality, rec);
    return rec;
  }

  land(identity: string, text: string): void {
    const list = this.landed.get(identity) ?? [];
    list.push(text);
    this.landed.set(identity, list);
  }

  /** Every text that landed anywhere. */
  allLanded(): string[] {
    return [...this.landed.values()].flat();
  }

  deliveryLines(): EventFields[] {
    return this.events.filter((e) => e.log === 'delivery').map((e) => e.fields);
  }

  deps(persistence: IdempotencyPersistence = memoryPersistence()): SendPipelineDeps {
    const deps = buildDeps(this, persistence);
    // one router per world: its send lock and composer hold are shared by every deps() call
    if (!this.router) {
      const targets = deps.targets;
      const composer: ComposerHold = new ComposerHold({
        queue: new ComposerQueue('/state/iapeer/composer-queue', memoryQueueFs(this.files)),
        terminal: deps.terminal,
        targets,
        clock: deps.clock,
        events: deps.events,
        timeoutMs: this.composerTimeoutMs,
        poll: { min: 5, max: 20 },
        onFailed: createFailureNotifier({ ...deps, targets, hold: () => composer }),
      });
      this.router = { composer, targets };
    }
    return { ...deps, targets: this.router.targets, composer: this.router.composer };
  }

  /** The router's composer hold (made by the first deps()). */
  get composer(): ComposerHold {
    if (!this.router) this.deps();
    return this.router!.composer;
  }

  /** A router SIGKILL and restart: drain loops end, held messages stay in `files`, the next deps() is a new router. */
  async restartRouter(): Promise<void> {
    await this.router?.composer.stop();
    this.router = undefined;
  }
}

/** A QueueFs over a map (path → text): writes are whole, as the real atomic writes. */
export function memoryQueueFs(files: Map<string, string>): QueueFs {
  return {
    list(dir) {
      const names = new Set<string>();
      for (const f of files.keys()) if (f.startsWith(dir + '/')) names.add(f.slice(dir.length + 1).split('/')[0]);
      return [...names];
    },
    read: (file) => files.get(file) ?? null,
    write: (file, text) => void files.set(file, text),
    remove: (file) => void files.delete(file),
  };
}

function buildDeps(world: FakeWorld, persistence: IdempotencyPersistence): SendPipelineDeps {
  const clock = { now: () => world.nowMs };
  return {
    clock,
    directory: { get: async (p) => world.peers.get(p) ?? null },
    sessions: {
      isLive: async (id) => world.live.has(id),
      mayBeLive: async (id) => world.live.has(id) || world.staleSockets.has(id),
      liveRuntimes: async (p) =>
        [...world.live]
          .filter((id) => id.slice(id.indexOf('-') + 1) === p)
          .map((id) => id.slice(0, id.indexOf('-')))
          .sort(),
    },
    terminal: {
      async deliver(target: DeliveryTarget, text: string) {
        await tick();
        if (!world.live.has(target.identity)) return { ok: false, reason: `peer "${target.personality}" (${target.runtime}) has no live session; message NOT delivered`, notLive: true };
        const refused = world.refuseDelivery.get(target.identity);
        if (refused) return { ok: false, reason: refused };
        const cut = world.cutOff.get(target.identity);
        world.cutOff.delete(target.identity);
        const pasted = (world.leftover.get(target.identity) ?? '') + text;
        if (cut === 'after-paste') {
          world.leftover.set(target.identity, pasted);
          throw new Error('router killed after the paste');
        }
        world.leftover.delete(target.identity);
        world.deliveries++;
        world.land(target.identity, pasted);
        if (cut === 'after-submit') throw new Error('router killed after the submit');
        return { ok: true };
      },
      async sessionToken(target: DeliveryTarget) {
        return world.live.has(target.identity) ? (world.tokens.get(target.identity) ?? 'pid:1') : null;
      },
      async screenState(target: DeliveryTarget) {
        return world.screens.get(target.identity) ?? { state: 'ready' as const, why: 'input row empty' };
      },
      async landed(target: DeliveryTarget, sendId: string) {
        return (world.landed.get(target.identity) ?? []).some((t) => t.includes(`id="${sendId}"`));
      },
      async submitLeftover(target: DeliveryTarget) {
        const text = world.leftover.get(target.identity);
        if (text === undefined) return false;
        world.leftover.delete(target.identity);
        world.land(target.identity, text);
        return true;
      },
      async control(target: DeliveryTarget, command: ControlCommand) {
        if (world.routerRuntimes.has(target.runtime)) return 'unsupported';
        world.controls.push({ identity: target.identity, command });
        const n = world.compactions.get(target.identity);
        if (command === 'compact' && n !== undefined) world.compactions.set(target.identity, n + (world.compactAdds.get(target.identity) ?? 1));
        return 'done';
      },
      async compactions(target: DeliveryTarget) {
        return world.compactions.get(target.identity) ?? null;
      },
    },
    envelope: codecEnvelopeBuilder,
    supervisor: {
      async wake(req: WakeRequest): Promise<WakeOutcome> {
        world.wakes.push(req);
        const peer = world.peers.get(req.personality);
        if (!peer) return { status: 'FAILED', code: 'PEER_NOT_FOUND', reason: 'unknown peer' };
        const runtime = req.runtime ?? peer.default_runtime;
        const identity = `${runtime}-${req.personality}`;
        const ready = { status: 'READY' as const, identity, personality: req.personality, runtime };
        const b = world.wakeBehaviour;
        // read before the await: concurrent wakes are not serialised here (see above), so a
        // burst the router failed to queue would spawn (and land) once per wake
        const wasLive = world.live.has(identity);
        await tick();
        if (b.kind === 'fail') return { status: 'FAILED', code: b.code ?? (b.stopped ? 'PEER_STOPPED' : 'WAKE_FAILED'), reason: b.reason, ...(b.stopped && { stopped: true }) };
        // the supervisor's live fast path: a live session is enrolled, not relaunched
        if (wasLive) return { ...ready, woke: false, taskDelivered: false };
        if (b.kind === 'ready-but-dead') return { ...ready, woke: true, taskDelivered: true };
        world.live.add(identity);
        if (b.kind === 'fast-path') return { ...ready, woke: false, taskDelivered: false };
        world.land(identity, req.task);
        return { ...ready, woke: true, taskDelivered: true };
      },
      async noteTopic(args) {
        world.topics.push(args);
      },
      async enqueue(req) {
        await tick();
        const identity = `${req.runtime}-${req.personality}`;
        const q = world.queues.get(identity) ?? [];
        const dup = req.sendId !== undefined && q.some((i) => i.sendId === req.sendId);
        if (!dup) q.push({ task: req.task, topic: req.topic, sendId: req.sendId });
        world.queues.set(identity, q);
        return { identity, seq: String(q.length).padStart(6, '0'), depth: q.length, duplicate: dup };
      },
      async parked(identity: string) {
        return world.parked.has(identity) && !world.live.has(identity);
      },
      async arm(args) {
        world.arms.push(args);
        return { identity: args.identity, armed: true, ephemeral: world.peers.get(args.identity.slice(args.identity.indexOf('-') + 1))?.wakePolicy === 'ephemeral', quietSecs: 20 };
      },
    },
    events: { emit: (log, fields) => world.events.push({ log, fields }) },
    targets: createKeyedSerializer(),
    idempotency: createIdempotencyStore({ persistence, clock }),
  };
}

export function memoryPersistence(initial: IdempotencyRecord[] = []): IdempotencyPersistence & { entries: IdempotencyRecord[] } {
  const store = {
    entries: initial,
    load: () => store.entries.map((e) => ({ ...e })),
    save: (entries: IdempotencyRecord[]) => {
      store.entries = entries.map((e) => ({ ...e }));
    },
  };
  return store;
}

/** Yields to the event loop so concurrent calls really interleave. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
