import { checkServiceHealth } from '@iapeer/testing';
import { buildRegistryService } from './service';

describe('registry service health', () => {
  it('listens on its 0600 socket, answers health (name, version, pid, uptime, ready) and removes the socket on stop', async () => {
    const { socket, mode, health, socketLeft } = await checkServiceHealth('registry', buildRegistryService);
    expect(mode).toBe(0o600);
    expect(health).toMatchObject({ name: 'registry', pid: process.pid, ready: true, socket });
    expect(health.uptimeMs).toBeGreaterThanOrEqual(0);
    expect(socketLeft).toBe(false);
  });
});
