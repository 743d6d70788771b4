import { connect, startService } from '@iapeer/rpc';
import type { RouterServiceRouter } from '@iapeer/contracts';
import { makeSandbox } from '@iapeer/testing';
import pino from 'pino';
import fs from 'node:fs';
import { buildRouterServiceService } from './service';

describe('router service health', () => {
  it('listens on its 0600 socket and answers health with name, version, pid, uptime, ready', async () => {
    const sb = makeSandbox(); // IAPEER_PORT=0 there: the MCP listener takes a free port
    const running = await startService({ name: 'router', env: sb.env, logger: pino({ level: 'silent' }), build: buildRouterServiceService });
    const socket = sb.paths.serviceSocket('router');
    expect(fs.statSync(socket).mode & 0o777).toBe(0o600);
    const { client, close } = connect<RouterServiceRouter>({ service: 'router', socketPath: socket });
    const h = await client.health.query();
    expect(h).toMatchObject({ name: 'router', pid: process.pid, ready: true, socket });
    expect(h.uptimeMs).toBeGreaterThanOrEqual(0);
    close();
    await running.stop();
    expect(fs.existsSync(socket)).toBe(false);
    sb.cleanup();
  });
});
