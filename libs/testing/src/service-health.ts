import fs from 'node:fs';
import pino from 'pino';
import type { AnyRouter } from '@trpc/server';
import type { HealthRouter } from '@iapeer/contracts';
import type { ServiceName } from '@iapeer/core';
import { connect, startService, type ServiceContext, type ServiceParts } from '@iapeer/rpc';
import { makeSandbox } from './sandbox';

/**
 * Starts a service in-process on a real socket in a sandbox, asks `health`, stops it,
 * and returns what it saw: the shared check every service's health spec runs.
 */
export async function checkServiceHealth<R extends AnyRouter>(name: ServiceName, build: (ctx: ServiceContext) => ServiceParts<R> | Promise<ServiceParts<R>>) {
  const sb = makeSandbox();
  const running = await startService({ name, env: sb.env, logger: pino({ level: 'silent' }), build });
  const socket = sb.paths.serviceSocket(name);
  const mode = fs.statSync(socket).mode & 0o777;
  const { client, close } = connect<HealthRouter>({ service: name, socketPath: socket });
  const health = await client.health.query();
  close();
  await running.stop();
  const socketLeft = fs.existsSync(socket);
  sb.cleanup();
  return { socket, mode, health, socketLeft };
}
