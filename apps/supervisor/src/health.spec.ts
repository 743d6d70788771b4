import { checkServiceHealth } from '@iapeer/testing';
import { buildSupervisorService } from './service';

describe('supervisor service health', () => {
  it('listens on its 0600 socket, answers health (name, version, pid, uptime, ready) and removes the socket on stop', async () => {
    const { socket, mode, health, socketLeft } = await checkServiceHealth('supervisor', buildSupervisorService);
    expect(mode).toBe(0o600);
    expect(health).toMatchObject({ name: 'supervisor', pid: process.pid, ready: true, socket });
    expect(health.uptimeMs).toBeGreaterThanOrEqual(0);
    expect(socketLeft).toBe(false);
  });
});
