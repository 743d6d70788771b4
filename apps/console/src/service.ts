/**
 * The console service: the fleet feed (a typed client of the other four services),
 * the HTTP page and API on 127.0.0.1:${IAPEER_CONSOLE_PORT:-8766}, and on its Unix
 * socket `health` and `login` (what `iapeer console` asks for a one-time link).
 * It writes no file: logins and sessions live in memory.
 */
import path from 'node:path';
import { createConsoleRouter, type ConsoleRouter, type HealthRouter, type LogdRouter, type RegistryRouter, type RouterServiceRouter, type SupervisorRouter } from '@iapeer/contracts';
import { IAPEER_VERSION } from '@iapeer/core';
import { connect } from '@iapeer/rpc';
import type { ServiceContext, ServiceParts } from '@iapeer/service-runtime';
import { createTmuxDriver } from '@iapeer/tmux';
import { ConsoleAuth } from './auth/console-auth';
import { loadConsoleConfig } from './config';
import { FleetFeed } from './fleet/fleet-feed';
import { WATCHED_SERVICES, type ServiceClients } from './fleet/services';
import { startConsoleHttp } from './http/console-http';
import { createWebRouter } from './web/web-router';

/** How long one service may take to answer the health probe before it shows as down. */
const PROBE_TIMEOUT_MS = 1500;

export interface ConsoleServiceOptions {
  /** Where index.html / app.js / styles.css are. @default dist/apps/console/page beside the bundle */
  pageDir?: string;
}

export function createConsoleServiceBuilder(o: ConsoleServiceOptions = {}) {
  return async function build(ctx: ServiceContext): Promise<ServiceParts<ConsoleRouter>> {
    const { paths, logger } = ctx;
    const cfg = loadConsoleConfig(ctx.env);
    const closers: (() => void)[] = [];
    const clientOf = <R extends RegistryRouter | SupervisorRouter | RouterServiceRouter | LogdRouter>(name: 'registry' | 'supervisor' | 'router' | 'logd') => {
      const c = connect<R>({ service: name, socketPath: paths.serviceSocket(name), waitForMissing: true });
      closers.push(c.close);
      return c.client;
    };
    const clients: ServiceClients = {
      registry: clientOf<RegistryRouter>('registry'),
      supervisor: clientOf<SupervisorRouter>('supervisor'),
      router: clientOf<RouterServiceRouter>('router'),
      logd: clientOf<LogdRouter>('logd'),
    };
    // separate clients that do not wait: a down service must show as down within a probe
    const probes = new Map(
      WATCHED_SERVICES.map((name) => {
        const c = connect<HealthRouter>({ service: name, socketPath: paths.serviceSocket(name), retryMs: 0 });
        closers.push(c.close);
        return [name, c.client] as const;
      }),
    );
    const feed = new FleetFeed({
      clients,
      services: WATCHED_SERVICES,
      probe: async (name) => {
        const ac = new AbortController();
        const t = setTimeout(() => ac.abort(new Error(`no answer in ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
        try {
          await probes.get(name)!.health.query(undefined, { signal: ac.signal });
        } finally {
          clearTimeout(t);
        }
      },
      crashLoopMax: ctx.config.crashLoopMax,
      onError: (what, err) => logger.debug({ err }, `console feed: ${what}`),
    });
    // no control client: a preview must never count as a human at the terminal
    const driver = createTmuxDriver({ sockDir: paths.sockDir, baseEnv: ctx.env, control: false });
    const auth = new ConsoleAuth();
    // one router per grant: a read-only login gets the one whose actions refuse
    const webFor = (readOnly: boolean) => createWebRouter({ feed, clients, driver, session: { readOnly, root: paths.root, version: IAPEER_VERSION } });
    const routers = { full: webFor(cfg.readOnly), readOnly: webFor(true) };
    const http = await startConsoleHttp({
      port: cfg.port,
      auth,
      readOnly: cfg.readOnly,
      routers,
      pageDir: o.pageDir ?? path.join(__dirname, 'page'),
      identity: { root: paths.root, pid: process.pid, version: IAPEER_VERSION },
      onError: (err) => logger.error({ err }, 'console request failed'),
    });
    feed.start();
    logger.info({ url: http.base, readOnly: cfg.readOnly }, 'console listening');

    return {
      router: createConsoleRouter({
        health: ctx.health,
        login: (input) => {
          const readOnly = cfg.readOnly || input.readOnly === true;
          const { token, expiresAt } = auth.issueToken({ readOnly });
          return { url: `${http.base}/login?token=${token}`, base: http.base, expiresAt, readOnly };
        },
      }),
      async stop() {
        feed.stop();
        await http.close();
        await driver.close();
        for (const close of closers) close();
      },
    };
  };
}

export const buildConsoleService = createConsoleServiceBuilder();
