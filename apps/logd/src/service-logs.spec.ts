import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { healthProcedure, router } from '@iapeer/contracts';
import { startService, type RunningService } from '@iapeer/service-runtime';
import { makeSandbox, TestStack, waitFor, type Sandbox } from '@iapeer/testing';
import { buildLogdService } from './service';

const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');

describe('service logs reach logs/iapeer/<service>.log through logd', () => {
  let sb: Sandbox;
  const started: RunningService[] = [];
  afterEach(async () => {
    for (const s of started.splice(0).reverse()) await s.stop();
    sb.cleanup();
  });

  it("startService's default pino logger buffers while logd is down and delivers once it is up", async () => {
    sb = makeSandbox();
    const registry = await startService({ name: 'registry', env: sb.env, build: (ctx) => ({ router: router({ health: healthProcedure(ctx.health) }) }) });
    started.push(registry);
    registry.ctx.logger.info({ marker: 'before-logd' }, 'hello from registry');
    started.unshift(await startService({ name: 'logd', env: sb.env, logger: pino({ level: 'silent' }), build: buildLogdService }));
    const file = path.join(sb.paths.eventLogDir, 'registry.log');
    await waitFor(() => read(file).includes('before-logd'), 'the buffered registry lines in registry.log', 15_000);
    const lines = read(file).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.msg)).toEqual(['listening', 'hello from registry']);
    expect(lines[0]).toMatchObject({ svc: 'registry', level: 30 });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('the logd process writes its own pino lines to logd.log', async () => {
    sb = makeSandbox();
    const stack = new TestStack(sb);
    try {
      await stack.start(['logd']);
      await waitFor(() => read(path.join(sb.paths.eventLogDir, 'logd.log')).includes('"msg":"listening"'), "logd's own listening line");
    } finally {
      await stack.stop();
    }
  });
});
