import { connect, startService } from '@iapeer/rpc';
import type { SupervisorRouter } from '@iapeer/contracts';
import { makeSandbox } from '@iapeer/testing';
import pino from 'pino';
import fs from 'node:fs';
import { buildSupervisorService } from './service';

describe('supervisor service health', () => {
  it('listens on its 0600 socket and answers health with name, version, pid, uptime, ready', async () => {
    const sb = makeSandbox();
    const running = await startService({ name: 'supervisor', env: sb.env, logger: pino({ level: 'silent' }), build: buildSupervisorService });
    const socket = sb.paths.serviceSocket('supervisor');
    expect(fs.statSync(socket).mode & 0o777).toBe(0o600);
    const { client, close } = connect<SupervisorRouter>({ service: 'supervisor', socketPath: socket });
    const h = await client.health.query();
    expect(h).toMatchObject({ name: 'supervisor', pid: process.pid, ready: true, socket });
    expect(h.uptimeMs).toBeGreaterThanOrEqual(0);
    close();
    await running.stop();
    expect(fs.existsSync(socket)).toBe(false);
    sb.cleanup();
  });
});
