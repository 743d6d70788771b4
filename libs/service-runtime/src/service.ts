import { pino, type Logger } from 'pino';
import type { AnyRouter } from '@trpc/server';
import { EXIT_NO_RESTART, IAPEER_VERSION, NO_RESTART_CODES, errorMessage, findIapeerError, loadConfig, resolvePaths, type Env, type IapeerConfig, type IapeerPaths, type ServiceName } from '@iapeer/core';
import { assertPrivateStateDirs, assertSandboxAllows, ensureGlobalScaffold } from '@iapeer/storage';
import { createServiceLogStream, type ServiceLogStream } from '@iapeer/logclient';
import { serve, type RpcServer } from '@iapeer/rpc';

/** How long a stopping service waits for its last log lines to reach logd. */
const STOP_FLUSH_MS = 500;

export interface ServiceContext {
  name: ServiceName;
  env: Env;
  paths: IapeerPaths;
  config: IapeerConfig;
  logger: Logger;
  /** The health answer every service gives (name, version, pid, uptime, ready, socket). */
  health: () => { name: ServiceName; version: string; pid: number; uptimeMs: number; ready: boolean; socket: string };
  /** Set by the service once its own dependencies answer. */
  setReady(ready: boolean): void;
}

export interface ServiceParts<R extends AnyRouter> {
  router: R;
  /** Runs after the socket closed and in-flight calls finished. */
  stop?: () => Promise<void> | void;
}

export interface RunServiceOptions<R extends AnyRouter> {
  name: ServiceName;
  env?: Env;
  /**
   * A pino logger. The default sends JSON lines to logd (`logs/iapeer/<name>.log`,
   * buffered while logd is down) and copies error/fatal lines to stderr; logd itself
   * passes its own (it writes its file directly).
   */
  logger?: Logger;
  build(ctx: ServiceContext): Promise<ServiceParts<R>> | ServiceParts<R>;
}

export interface RunningService {
  ctx: ServiceContext;
  server: RpcServer;
  stop(): Promise<void>;
}

/**
 * The whole life of a service process: refuse an insecure or forbidden root, make the
 * scaffold, build the router, listen on `<root>/state/iapeer/sock/<name>.sock`, and
 * on SIGTERM/SIGINT drain in-flight calls, close the socket and exit 0.
 */
export async function startService<R extends AnyRouter>(opts: RunServiceOptions<R>): Promise<RunningService> {
  const env = opts.env ?? process.env;
  const paths = resolvePaths(env);
  const config = loadConfig(env);
  const logStream: ServiceLogStream | undefined =
    opts.logger || opts.name === 'logd' ? undefined : createServiceLogStream({ socketPath: paths.serviceSocket('logd'), service: opts.name });
  const logger = opts.logger ?? pino({ base: { svc: opts.name, pid: process.pid } }, logStream ?? process.stdout);
  assertSandboxAllows(paths, env);
  assertPrivateStateDirs(paths);
  ensureGlobalScaffold(paths);

  const startedAt = Date.now();
  let ready = true;
  const socket = paths.serviceSocket(opts.name);
  const ctx: ServiceContext = {
    name: opts.name,
    env,
    paths,
    config,
    logger,
    health: () => ({ name: opts.name, version: IAPEER_VERSION, pid: process.pid, uptimeMs: Date.now() - startedAt, ready, socket }),
    setReady: (r) => {
      ready = r;
    },
  };
  const parts = await opts.build(ctx);
  const server = await serve({
    router: parts.router,
    socketPath: socket,
    onError: ({ path, error }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') logger.error({ path, err: error.cause ?? error }, 'procedure failed');
    },
  });
  logger.info({ socket, version: IAPEER_VERSION }, 'listening');
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await server.close();
      await parts.stop?.();
      logger.info('stopped');
      // a short bound: a stop must not hang on a logd that is already gone
      await logStream?.close(STOP_FLUSH_MS);
    })());
  return { ctx, server, stop };
}

/** For src/main.ts: start, wire signals, exit 0 on a clean stop and 1 on a failed start. */
export function runServiceMain<R extends AnyRouter>(opts: RunServiceOptions<R>): void {
  startService(opts).then(
    (running) => {
      const onSignal = (signal: NodeJS.Signals) => {
        running.ctx.logger.info({ signal }, 'stopping');
        running.stop().then(
          () => process.exit(0),
          (err) => {
            running.ctx.logger.error({ err }, 'stop failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
    },
    (err) => {
      const coded = findIapeerError(err);
      const final = coded !== undefined && NO_RESTART_CODES.includes(coded.code);
      // a refusal a restart cannot fix carries its code (`up` shows this line) and tells the keeper not to loop on it
      process.stderr.write(`iapeer ${opts.name}: failed to start: ${final ? `[${coded.code}] ` : ''}${errorMessage(err)}\n`);
      process.exit(final ? EXIT_NO_RESTART : 1);
    },
  );
}
