import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initTRPC } from '@trpc/server';
import { pino } from 'pino';
import superjson from 'superjson';
import { resolvePaths, type Env } from '@iapeer/core';
import { connect, iapeerCodeOf } from '@iapeer/rpc';
import { startService, type RunningService } from './index';

// a bare tRPC router (this lib runs any router; the contracts' routers are the apps' business)
const t = initTRPC.create({ transformer: superjson });
const pingRouter = t.router({ ping: t.procedure.query(() => 'pong') });

function sandboxEnv(): Env {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-svcrt-'));
  return { HOME: path.join(dir, 'home'), IAPEER_ROOT: path.join(dir, 'root'), IAPEER_TEST_SANDBOX: '1' };
}

describe('startService', () => {
  const running: RunningService[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
  });

  it('makes the scaffold, listens on <root>/state/iapeer/sock/<name>.sock, and removes the socket on stop', async () => {
    const env = sandboxEnv();
    const paths = resolvePaths(env);
    const svc = await startService({ name: 'registry', env, logger: pino({ level: 'silent' }), build: () => ({ router: pingRouter }) });
    running.push(svc);
    const socket = paths.serviceSocket('registry');
    expect(svc.ctx.health()).toMatchObject({ name: 'registry', ready: true, socket });
    expect(fs.existsSync(paths.eventLogDir)).toBe(true);
    const { client, close } = connect<typeof pingRouter>({ service: 'registry', socketPath: socket });
    expect(await client.ping.query()).toBe('pong');
    close();
    await running.pop()!.stop();
    expect(fs.existsSync(socket)).toBe(false);
  });

  it('refuses the real default root under IAPEER_TEST_SANDBOX=1 before writing anything', async () => {
    const sandbox = sandboxEnv();
    const env = { ...sandbox, IAPEER_ROOT: path.join(sandbox.HOME!, '.iapeer') };
    const err = await startService({ name: 'registry', env, logger: pino({ level: 'silent' }), build: () => ({ router: pingRouter }) }).catch((e: unknown) => e);
    expect(iapeerCodeOf(err)).toBe('SANDBOX_REFUSED');
    expect(fs.existsSync(env.IAPEER_ROOT)).toBe(false);
  });
});
