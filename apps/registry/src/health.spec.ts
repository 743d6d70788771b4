import { connect, startService } from '@iapeer/rpc';
import type { RegistryRouter } from '@iapeer/contracts';
import { makeSandbox } from '@iapeer/testing';
import pino from 'pino';
import fs from 'node:fs';
import { buildRegistryService } from './service';

describe('registry service health', () => {
  it('listens on its 0600 socket and answers health with name, version, pid, uptime, ready', async () => {
    const sb = makeSandbox();
    const running = await startService({ name: 'registry', env: sb.env, logger: pino({ level: 'silent' }), build: buildRegistryService });
    const socket = sb.paths.serviceSocket('registry');
    expect(fs.statSync(socket).mode & 0o777).toBe(0o600);
    const { client, close } = connect<RegistryRouter>({ service: 'registry', socketPath: socket });
    const h = await client.health.query();
    expect(h).toMatchObject({ name: 'registry', pid: process.pid, ready: true, socket });
    expect(h.uptimeMs).toBeGreaterThanOrEqual(0);
    close();
    await running.stop();
    expect(fs.existsSync(socket)).toBe(false);
    sb.cleanup();
  });
});
