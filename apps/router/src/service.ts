/**
 * The router service: tRPC `send`/`control`/`health` on its socket, the MCP
 * listener on 127.0.0.1:${IAPEER_PORT:-8765}/mcp, and `state/iapeer/router.json`.
 * Every side effect comes in as a port; `createRouterServiceBuilder(ports)` lets
 * tests swap any of them for in-memory twins.
 */
import path from 'node:path';
import { IAPEER_VERSION, fleetEnabled, fleetHostName } from '@iapeer/core';
import { createBridgeFleet } from './fleet/bridge-fleet';
import type { FleetPort } from './fleet/fleet-port';
import { createRouterServiceRouter, type RegistryRouter, type RouterServiceRouter, type SupervisorRouter } from '@iapeer/contracts';
import type { EventLog } from '@iapeer/logclient';
import { connect } from '@iapeer/rpc';
import type { ServiceContext, ServiceParts } from '@iapeer/service-runtime';
import { createEventLog } from '@iapeer/logclient';
import { codecEnvelopeBuilder } from './adapters/codec-envelope';
import { createRuntimeCatalog } from './adapters/runtime-catalog';
import { createTmuxSessionProbe, createTmuxTerminal } from './adapters/tmux-terminal';
import { createRegistryDirectory } from './adapters/registry-directory';
import { createJobOwnership } from './adapters/job-ownership';
import { createSupervisorPort } from './adapters/supervisor-client';
import { createTmuxDriver } from '@iapeer/tmux';
import { createCallerAuthenticator, type CallerAuthenticator } from './caller/caller-authenticator';
import { createSessionTokenVerifier } from './caller/session-token-verifier';
import { buildRouterDiscovery, removeRouterJson, writeRouterJson } from './discovery/router-json';
import { startMcpListener } from './mcp/mcp-listener';
import type { Clock, EnvelopeBuilder, JobOwnership, PeerDirectory, SessionProbe, SupervisorPort, TerminalPort } from './ports';
import { createRouterCore } from './router-core';
import { createIdempotencyFile, IDEMPOTENCY_FILE } from './send/idempotency-file';
import { createIdempotencyStore } from './send/idempotency';
import { createKeyedSerializer } from '@iapeer/core';
import { createActivityNudges } from './adapters/activity-nudges';
import { ComposerHold } from './composer/composer-hold';
import { ComposerQueue } from './composer/composer-queue';
import { createFailureNotifier } from './composer/failure-notice';
import { COMPOSER_QUEUE_DIR, nodeQueueFs } from './composer/queue-fs';

/** Every port the service needs; any left out gets its production adapter. */
export interface RouterPorts {
  directory: PeerDirectory;
  supervisor: SupervisorPort;
  sessions: SessionProbe;
  terminal: TerminalPort;
  envelope: EnvelopeBuilder;
  events: EventLog;
  clock: Clock;
  authenticator: CallerAuthenticator;
  /** The fleet guard for interrupt/compact (§7.3). */
  jobs: JobOwnership;
  /** Absent (and IAPEER_NATS_URL unset): no fleet, a `name@host` send is FLEET_DISABLED. */
  fleet: FleetPort;
}

export function createRouterServiceBuilder(overrides: Partial<RouterPorts> = {}) {
  return async function build(ctx: ServiceContext): Promise<ServiceParts<RouterServiceRouter>> {
    const { paths, config, logger } = ctx;
    const closers: (() => void)[] = [];
    // a client only for a port the caller did not override (tests run without the other services)
    const clientOf = <R extends RegistryRouter | SupervisorRouter>(name: 'registry' | 'supervisor') => {
      const c = connect<R>({ service: name, socketPath: paths.serviceSocket(name), waitForMissing: true });
      closers.push(c.close);
      return c.client;
    };
    const directory = overrides.directory ?? createRegistryDirectory(clientOf<RegistryRouter>('registry'));
    const supervisorClient = overrides.supervisor ? undefined : clientOf<SupervisorRouter>('supervisor');
    const supervisor = overrides.supervisor ?? createSupervisorPort(supervisorClient!);
    const events = overrides.events ?? createEventLog({ socketPath: paths.serviceSocket('logd'), service: 'router' });
    const clock = overrides.clock ?? { now: () => Date.now() };
    const driver = createTmuxDriver({ sockDir: paths.sockDir, baseEnv: ctx.env, onFallback: (f) => logger.warn(f, 'tmux control connection unavailable: spawned tmux for this call') });
    closers.push(() => void driver.close());
    const adapterFor = createRuntimeCatalog(paths, ctx.env);
    let fleet = overrides.fleet;
    if (!fleet && fleetEnabled(ctx.env)) {
      const bridge = createBridgeFleet(paths, fleetHostName(ctx.env));
      closers.push(bridge.close);
      fleet = bridge;
    }
    const sessions = overrides.sessions ?? createTmuxSessionProbe(driver, paths.tmuxSocket);
    const terminal = overrides.terminal ?? createTmuxTerminal({ driver, adapterFor, cfg: config, paneLogDir: paths.paneLogDir, env: ctx.env });
    const envelope = overrides.envelope ?? codecEnvelopeBuilder;
    const targets = createKeyedSerializer();
    const composer: ComposerHold = new ComposerHold({
      queue: new ComposerQueue(path.join(paths.serviceStateDir, COMPOSER_QUEUE_DIR), nodeQueueFs, (file) => logger.warn({ file }, 'composer queue: not a queue item; removed')),
      terminal,
      targets,
      clock,
      events,
      timeoutMs: config.composerQueueTimeoutMs,
      nudges: supervisorClient ? createActivityNudges(supervisorClient) : undefined,
      onFailed: createFailureNotifier({ directory, sessions, terminal, envelope, targets, events, hold: () => composer }),
    });
    const core = createRouterCore({
      directory,
      supervisor,
      sessions,
      terminal,
      envelope,
      events,
      clock,
      targets,
      jobs: overrides.jobs ?? createJobOwnership(paths),
      compactWait: { doneTimeoutMs: config.compactDoneTimeoutMs, pollMs: config.compactDonePollMs, readyGraceMs: config.compactReadyGraceMs },
      composer,
      fleet,
      idempotency: createIdempotencyStore({
        persistence: createIdempotencyFile(path.join(paths.serviceStateDir, IDEMPOTENCY_FILE), (err) =>
          logger.warn({ err }, 'idempotency store unreadable; starting empty'),
        ),
        clock,
        onPersistError: (err) => logger.error({ err }, 'idempotency store not saved; keys kept in memory only'),
      }),
      authenticator:
        overrides.authenticator ??
        (config.mcpIdentityMode === 'token'
          ? createCallerAuthenticator({ directory, mode: 'token', tokens: createSessionTokenVerifier({ paths, sessions }) })
          : createCallerAuthenticator({ directory, mode: 'header-only' })),
    });

    const listener = await startMcpListener({
      port: config.mcpPort,
      bearerToken: config.bearerToken,
      identity: { root: paths.root, pid: process.pid, version: IAPEER_VERSION },
      onSend: core.sendFromMcp,
      onError: (err) => logger.error({ err }, 'mcp request failed'),
    });
    writeRouterJson(paths, buildRouterDiscovery(paths, listener.url, process.pid));
    logger.info({ mcp: listener.url, bearer: Boolean(config.bearerToken), identity: config.mcpIdentityMode }, 'mcp listening');
    // messages held before a restart drain again (they are on disk, §6.4)
    composer.resume();

    return {
      router: createRouterServiceRouter({ health: ctx.health, send: core.send, control: core.control, awaitQueued: core.awaitQueued, fleetSend: core.fleetSend }),
      async stop() {
        await composer.stop();
        await listener.close();
        removeRouterJson(paths, process.pid);
        await events.flush();
        await events.close();
        for (const close of closers) close();
      },
    };
  };
}

/** The production router service (what src/main.ts runs). */
export const buildRouterServiceService = createRouterServiceBuilder();
