import fs from 'node:fs';
import { createSupervisorRouter, type SupervisorHandlers } from '@iapeer/contracts';
import type { ServiceContext } from '@iapeer/service-runtime';
import { createActivityProbe } from './adapters/activity';
import { createExitSpool } from './adapters/exit-spool';
import { createSupervisorEventLog } from './adapters/event-log';
import { readHostFacts } from './adapters/host-facts';
import { createRegistryDirectory } from './adapters/registry-directory';
import { createRuntimeAdapters, createRuntimesLauncher } from './adapters/runtimes-bridge';
import { createServiceManager } from './adapters/service-manager';
import { createTmuxDriver } from '@iapeer/tmux';
import { revokeSessionToken, revokeStaleSessionTokens } from '@iapeer/tokens';
import type { SupervisorDeps } from './core/deps';
import { createKeyedSerializer } from '@iapeer/core';
import { EphemeralQueue } from './core/ephemeral-queue';
import { MarkerStore } from './core/markers';
import { createSupervisor } from './core/supervisor';
import { createWakeLock } from './core/wake-lock';
import { PhaseBus } from './phase-bus';
import { ActivityWatch } from './activity-watch';
import { logAttach } from './core/log-events';

/** The ports a test (or the lead at merge time) may replace; the rest are built from ctx. */
export type SupervisorPorts = Pick<SupervisorDeps, 'directory' | 'liveness' | 'launcher' | 'adapters' | 'activity' | 'serviceManager' | 'events' | 'clock' | 'hostFacts' | 'cwdExists' | 'screens' | 'exitSpool'>;

export interface SupervisorServiceOptions {
  ports?: Partial<SupervisorPorts>;
  /** Run re-adoption and the periodic tick. @default true */
  timer?: boolean;
}

/** Builds the production ports from the service context. */
function buildPorts(ctx: ServiceContext, overrides: Partial<SupervisorPorts>): SupervisorPorts & { close(): void } {
  const env = ctx.env as Record<string, string | undefined>;
  const clock = overrides.clock ?? { now: () => Date.now() };
  const registry = overrides.directory ? undefined : createRegistryDirectory(ctx.paths);
  // one control connection per live session: the tick reads liveness from it, no spawn
  const driver = createTmuxDriver({ sockDir: ctx.paths.sockDir, baseEnv: env, onFallback: (f) => ctx.logger.warn(f, 'tmux control connection unavailable: spawned tmux for this call') });
  // a token dies with its session: every kill the supervisor makes (reap, stop, new,
  // self-fresh, a dead pane cleared) revokes it; the tick's sweep catches the rest
  const liveness = overrides.liveness ?? {
    isAlive: (id: string) => driver.isAlive(id),
    listLive: () => driver.listLive(),
    classifyGone: (id: string) => driver.classifyGone(id),
    kill: async (id: string) => {
      await driver.kill(id);
      revokeSessionToken(ctx.paths, id);
    },
  };
  const adapters = overrides.adapters ?? createRuntimeAdapters({ paths: ctx.paths, env });
  return {
    directory: overrides.directory ?? registry!,
    liveness,
    adapters,
    launcher: overrides.launcher ?? createRuntimesLauncher({ env, config: ctx.config, tmux: driver, paths: ctx.paths }),
    activity: overrides.activity ?? createActivityProbe(adapters, ctx.paths.paneLogDir, env),
    serviceManager: overrides.serviceManager ?? createServiceManager(ctx.paths, ctx.env),
    events: overrides.events ?? createSupervisorEventLog(ctx.paths),
    clock,
    hostFacts: overrides.hostFacts ?? (() => readHostFacts(ctx.env, new Date(clock.now()))),
    cwdExists: overrides.cwdExists ?? ((cwd) => fs.existsSync(cwd)),
    exitSpool: overrides.exitSpool ?? createExitSpool(ctx.paths.paneLogDir),
    // screens and attached humans over the same control connections (§6.4)
    screens: overrides.screens ?? {
      observe: (id: string) => driver.observe(id),
      onOutput: (id: string, listener: () => void) => driver.onOutput(id, () => listener()),
    },
    close: () => {
      registry?.close();
      void driver.close();
    },
  };
}

/**
 * The supervisor service: the decision core over its ports, the procedures of
 * libs/contracts/src/supervisor.ts, re-adoption at start and the tick every
 * IAPEER_SUPERVISE_INTERVAL_MS (60 s by default).
 */
export function buildSupervisorService(ctx: ServiceContext, opts: SupervisorServiceOptions = {}) {
  const ports = buildPorts(ctx, opts.ports ?? {});
  const phases = new PhaseBus();
  const deps: SupervisorDeps = {
    ...ports,
    markers: new MarkerStore(ctx.paths.lifecycleDir),
    queue: new EphemeralQueue(ctx.paths.lifecycleDir, ctx.config.ephemeralQueueMax),
    config: ctx.config,
    paths: { root: ctx.paths.root, home: ctx.paths.home, paneLogDir: ctx.paths.paneLogDir, eventLogDir: ctx.paths.eventLogDir },
    env: ctx.env as Record<string, string | undefined>,
    wakeLock: createWakeLock(),
    evalLock: createKeyedSerializer(),
    drainLock: createKeyedSerializer(),
    onPhase: (identity, phase) => {
      phases.publish(identity, phase);
      watch.pulse();
    },
  };
  const log = ctx.logger;
  const sup = createSupervisor(deps, { onDrainError: (identity, err) => log.error({ err, identity }, 'ephemeral drain failed') });
  const watch = new ActivityWatch({
    read: (identity) => sup.activity(identity),
    watched: async () => [...new Set([...deps.markers.listSessions(), ...(await deps.liveness.listLive())])].sort(),
    screens: deps.screens,
  });

  const handlers: SupervisorHandlers = {
    health: ctx.health,
    wake: (input) => sup.wake(input).finally(() => watch.pulse()),
    stop: (input) => sup.stop(input),
    start: (input) => sup.start(input),
    // the caller usually lives in the session being killed: answer first, then kill
    markFresh: ({ identity }) =>
      sup.markFresh(identity, async (kill) => {
        setImmediate(() => kill().catch((err) => log.error({ err, identity }, 'self-fresh kill failed')));
      }),
    refresh: (input) => sup.refresh(input),
    new: (input) => sup.new(input),
    tick: () => sup.tick(),
    state: (input) => sup.state(input),
    noteTopic: ({ identity, topic }) => sup.noteTopic(identity, topic),
    purge: ({ personality }) => sup.purge(personality),
    enqueue: (input) => sup.enqueue(input),
    arm: ({ identity }) => sup.arm(identity),
    wakePhases: ({ identity }, signal) => phases.watch(identity, signal),
    activity: ({ identity }) => sup.activity(identity),
    activityChanges: (input, signal) => watch.watch(input?.identities, signal),
    attachEvent: ({ identity, phase, code }) => {
      logAttach(deps.events, identity, phase, { code });
      watch.pulse();
      return { logged: true as const };
    },
  };

  let timer: NodeJS.Timeout | undefined;
  // a token dies with its session: after every pass, drop the tokens of sessions that are gone
  const dropDeadTokens = () =>
    revokeStaleSessionTokens(ctx.paths, (id) => ports.liveness.isAlive(id)).catch((err) => log.warn({ err }, 'stale token sweep failed'));
  const runTick = (why: string) =>
    sup
      .tick()
      .then(
        (r) => log.debug({ why, outcomes: r.outcomes.length, relaunched: r.relaunched.length }, 'tick'),
        (err) => log.error({ err, why }, 'tick failed'),
      )
      .then(dropDeadTokens)
      .then(() => watch.pulse());
  if (opts.timer !== false) {
    // re-adopt first (state is on disk), then tick once, then every interval
    void sup
      .readopt()
      .then((r) => log.info({ enrolled: r.enrolled.length, readopted: r.readopted, stopCompleted: r.stopCompleted, reapCompleted: r.reapCompleted, parkCleared: r.parkCleared }, 'sessions re-adopted'))
      .catch((err) => log.error({ err }, 're-adoption failed'))
      .then(() => runTick('start'));
    timer = setInterval(() => void runTick('interval'), ctx.config.superviseIntervalMs);
    timer.unref();
  }

  return {
    router: createSupervisorRouter(handlers),
    supervisor: sup,
    stop: async () => {
      if (timer) clearInterval(timer);
      await deps.events.flush().catch(() => undefined); // best-effort: logging never blocks a shutdown
      ports.close();
    },
  };
}
