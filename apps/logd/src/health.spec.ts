import { connect, startService } from '@iapeer/rpc';
import type { LogdRouter } from '@iapeer/contracts';
import { makeSandbox } from '@iapeer/testing';
import pino from 'pino';
import fs from 'node:fs';
import { buildLogdService } from './service';

describe('logd service health', () => {
  it('listens on its 0600 socket and answers health with name, version, pid, uptime, ready', async () => {
    const sb = makeSandbox();
    const running = await startService({ name: 'logd', env: sb.env, logger: pino({ level: 'silent' }), build: buildLogdService });
    const socket = sb.paths.serviceSocket('logd');
    expect(fs.statSync(socket).mode & 0o777).toBe(0o600);
    const { client, close } = connect<LogdRouter>({ service: 'logd', socketPath: socket });
    const h = await client.health.query();
    expect(h).toMatchObject({ name: 'logd', pid: process.pid, ready: true, socket });
    expect(h.uptimeMs).toBeGreaterThanOrEqual(0);
    close();
    await running.stop();
    expect(fs.existsSync(socket)).toBe(false);
    sb.cleanup();
  });
});
