import { FakeWorld } from '../testing/in-memory-ports';
import { seedWorld, sendFrom } from '../testing/send-helpers';

describe('a burst to one asleep peer', () => {
  it('50 concurrent sends wake it once and land all 50 exactly once', async () => {
    const w = new FakeWorld();
    seedWorld(w);
    const deps = w.deps();
    const messages = Array.from({ length: 50 }, (_, i) => `burst message #${i}`);
    const results = await Promise.all(messages.map((message) => sendFrom(w, 'claude-boris', { personality: 'alice', message }, deps)));

    expect(w.wakes).toHaveLength(1);
    expect(results.every((r) => r.ok && r.delivered_to.runtime === 'claude')).toBe(true);
    expect(results.filter((r) => r.woke)).toHaveLength(1);
    const landed = w.landed.get('claude-alice')!;
    expect(landed).toHaveLength(50);
    for (const m of messages) expect(landed.filter((t) => t.includes(`<![CDATA[${m}]]>`))).toHaveLength(1);
    expect(w.deliveryLines()).toHaveLength(50);
  });

  it('the fake supervisor alone would wake many times (so the router queue is what serialises)', async () => {
    const w = new FakeWorld();
    seedWorld(w);
    const sup = w.deps().supervisor!;
    await Promise.all(Array.from({ length: 5 }, () => sup.wake({ personality: 'alice', task: 'x' })));
    expect(w.wakes).toHaveLength(5);
    expect(w.landed.get('claude-alice')).toHaveLength(5);
  });

  it('sends to different peers are not serialised behind each other', async () => {
    const w = new FakeWorld();
    seedWorld(w);
    const deps = w.deps();
    let releaseAlice!: () => void;
    const aliceBlocked = new Promise<void>((r) => (releaseAlice = r));
    const inner = deps.terminal.deliver;
    deps.terminal.deliver = async (t, text) => {
      if (t.personality === 'alice') await aliceBlocked;
      return inner(t, text);
    };
    w.live.add('claude-alice').add('claude-bot-owner');
    const toAlice = sendFrom(w, 'claude-boris', { personality: 'alice', message: 'slow' }, deps);
    await sendFrom(w, 'claude-boris', { personality: 'bot-owner', message: 'fast' }, deps);
    expect(w.landed.get('claude-bot-owner')).toHaveLength(1);
    releaseAlice();
    await toAlice;
  });
});
