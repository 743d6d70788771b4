import { FakeWorld } from '../testing/in-memory-ports';
import { seedWorld } from '../testing/send-helpers';
import { routeControl } from './route-control';

describe('routeControl (§6.5)', () => {
  const setup = () => {
    const w = new FakeWorld();
    seedWorld(w);
    return { w, deps: w.deps() };
  };

  it.each(['interrupt', 'compact'] as const)('%s acts on the live target and reports it', async (command) => {
    const { w, deps } = setup();
    w.live.add('claude-alice');
    const r = await routeControl({ personality: 'alice', command }, deps);
    expect(r).toEqual({ ok: true, controlled: { personality: 'alice', runtime: 'claude' }, command, ts: '2026-01-01T00:00:00.000Z' });
    expect(w.controls).toEqual([{ identity: 'claude-alice', command }]);
  });

  it('refuses an asleep target and never wakes it', async () => {
    const { w, deps } = setup();
    await expect(routeControl({ personality: 'alice', command: 'interrupt' }, deps)).rejects.toThrow('peer offline: alice');
    await expect(routeControl({ personality: 'alice', runtime: 'codex', command: 'interrupt' }, deps)).rejects.toThrow('peer offline: alice (codex)');
    expect(w.wakes).toEqual([]);
    expect(w.controls).toEqual([]);
  });

  it('refuses a router runtime: runtime "<rt>" does not support control command "<c>"', async () => {
    const { w, deps } = setup();
    w.live.add('telegram-tg');
    await expect(routeControl({ personality: 'tg', command: 'compact' }, deps)).rejects.toThrow('runtime "telegram" does not support control command "compact"');
  });

  it('refuses an unknown peer and an undeclared runtime', async () => {
    const { deps } = setup();
    await expect(routeControl({ personality: 'nobody', command: 'interrupt' }, deps)).rejects.toThrow('peer "nobody" is not in the iapeer peers index');
    await expect(routeControl({ personality: 'boris', runtime: 'codex', command: 'interrupt' }, deps)).rejects.toThrow('runtime "codex" is not declared for "boris"');
  });
});
