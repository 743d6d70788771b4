import type { LogSender } from './ship';
import { createEventLog } from './create-event-log';

/** A sender that records what it is handed (the wire is tested in apps/logd). */
function recordingSender(): LogSender & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    push: (_log, line) => void lines.push(line),
    flush: async () => true,
    close: async () => undefined,
    droppedTotal: () => 0,
    pending: () => 0,
  };
}

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('createEventLog storm compaction', () => {
  it('releases held repeats when the emitter goes quiet (no later event, no flush)', async () => {
    const sender = recordingSender();
    const events = createEventLog({ socketPath: '/nonexistent', service: 'test', sender, stormWindowMs: 50 });
    const ev = { ev: 'wake', identity: 'fake-erin', mode: 'live' };
    events.emit('lifecycle', ev);
    await nextTurn(); // the first line is handed to the sender
    for (let i = 0; i < 18; i++) {
      events.emit('lifecycle', ev);
      await nextTurn();
    }
    expect(sender.lines).toHaveLength(1);
    const deadline = Date.now() + 5000;
    while (sender.lines.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(sender.lines[1]).toMatch(/ ev=wake identity=fake-erin mode=live repeated=18$/);
    await events.close();
  });
});

describe('createEventLog scheduling', () => {
  it('ships on the next loop turn with a ref\'d immediate: an unref\'d one waited for unrelated I/O in a quiet service', async () => {
    const sender = recordingSender();
    const events = createEventLog({ socketPath: '/nonexistent', service: 'test', sender });
    const spy = jest.spyOn(global, 'setImmediate');
    try {
      events.emit('lifecycle', { ev: 'wake', identity: 'fake-a' });
      const immediate = spy.mock.results[0]?.value as NodeJS.Immediate;
      expect(immediate.hasRef()).toBe(true);
    } finally {
      spy.mockRestore();
    }
    await nextTurn();
    expect(sender.lines).toHaveLength(1);
    await events.close();
  });
});
