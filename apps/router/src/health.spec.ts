import { checkServiceHealth } from '@iapeer/testing';
import { buildRouterServiceService } from './service';

describe('router service health', () => {
  it('listens on its 0600 socket, answers health (name, version, pid, uptime, ready) and removes the socket on stop', async () => {
    const { socket, mode, health, socketLeft } = await checkServiceHealth('router', buildRouterServiceService);
    expect(mode).toBe(0o600);
    expect(health).toMatchObject({ name: 'router', pid: process.pid, ready: true, socket });
    expect(health.uptimeMs).toBeGreaterThanOrEqual(0);
    expect(socketLeft).toBe(false);
  });
});
