import fs from 'node:fs';
import type { RouterServiceRouter } from '@iapeer/contracts';
import { connect, iapeerCodeOf } from '@iapeer/rpc';
import { makeSandbox } from '@iapeer/testing';
import { FakeWorld } from './testing/in-memory-ports';
import { seedWorld } from './testing/send-helpers';
import { startTestRouter } from './testing/start-test-router';

const routerClient = (socketPath: string) => connect<RouterServiceRouter>({ service: 'router', socketPath });

describe('router service over its real socket', () => {
  it('send, control and refusals with their iapeer codes and exact texts', async () => {
    const world = new FakeWorld();
    seedWorld(world);
    world.live.add('claude-alice');
    const router = await startTestRouter(world);
    const { client, close } = routerClient(router.discovery.sock);
    try {
      const r = await client.send.mutate({ from: 'claude-boris', personality: 'alice', message: 'via socket' });
      expect(r).toEqual({ ok: true, delivered_to: { personality: 'alice', runtime: 'claude' }, woke: false, ts: '2026-01-01T00:00:00.000Z' });
      expect(world.deliveryLines().at(-1)).toMatchObject({ path: 'cli', caller: 'claude-boris', ok: true });

      const woke = await client.send.mutate({ from: 'claude-boris', personality: 'alice', runtime: 'codex', message: 'wake codex' });
      expect(woke).toMatchObject({ woke: true, delivered_to: { runtime: 'codex' } });

      const err = await client.send.mutate({ from: 'claude-boris', personality: 'nobody', message: 'x' }).catch((e) => e);
      expect(iapeerCodeOf(err)).toBe('PEER_NOT_FOUND');
      expect(err.message).toBe('peer "nobody" is not in the iapeer peers index; message NOT delivered');

      const self = await client.send.mutate({ from: 'claude-alice', personality: 'alice', message: 'x' }).catch((e) => e);
      expect(self.message).toBe('cannot send to self');

      const c = await client.control.mutate({ personality: 'alice', command: 'interrupt' });
      expect(c).toMatchObject({ ok: true, controlled: { personality: 'alice', runtime: 'claude' }, command: 'interrupt' });
      const off = await client.control.mutate({ personality: 'boris', command: 'compact' }).catch((e) => e);
      expect(iapeerCodeOf(off)).toBe('SESSION_NOT_LIVE');
      expect(off.message).toBe('boris (claude) has no live session and no clean park to resume: nothing to compact');

      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- deliberately outside the contract's type: the test checks the server refuses it
      const bad = await client.send.mutate({ from: 'claude-boris', personality: 'alice', message: 'x', extra: 1 } as any).catch((e) => e);
      expect(iapeerCodeOf(bad)).toBe('INVALID_INPUT');
    } finally {
      close();
      await router.stop();
      router.sandbox.cleanup();
    }
  });

  it('a keyed send retried against a new router instance on the same root lands once', async () => {
    const world = new FakeWorld();
    seedWorld(world);
    world.live.add('claude-alice');
    const sandbox = makeSandbox();
    const input = { from: 'claude-boris', personality: 'alice', message: 'exactly once', idempotencyKey: 'retry-1' };
    try {
      const first = await startTestRouter(world, { sandbox });
      const a = routerClient(first.discovery.sock);
      const r1 = await a.client.send.mutate(input);
      a.close();
      await first.stop();
      expect(fs.existsSync(sandbox.paths.routerJson)).toBe(false); // removed on close

      const second = await startTestRouter(world, { sandbox });
      const b = routerClient(second.discovery.sock);
      const r2 = await b.client.send.mutate(input);
      b.close();
      await second.stop();

      expect(r2).toEqual(r1);
      expect(world.landed.get('claude-alice')!.filter((t) => t.includes('exactly once'))).toHaveLength(1);
    } finally {
      sandbox.cleanup();
    }
  });
});
