import { waitFor } from '@iapeer/testing';
import { callSend, connectMcp, deliveryLog, landedCount, messagesOf, sessionsStarted, startRouterStack, type RouterStack } from './support/router-stack';

const BURST = 50;

// 50 agents-worth of send_to_peer at once to one asleep peer: the router serialises per
// target, so exactly one send wakes it (its message is the boot first-message) and the
// other 49 go to the live session; every message lands exactly once (counted in the fake
// agent's transcript.jsonl) and there are 50 ok=true delivery.log lines.
describe('a concurrent burst to one asleep peer', () => {
  let rs: RouterStack;

  beforeAll(async () => {
    rs = await startRouterStack(['alice', 'bob', 'zed']);
  }, 60_000);
  afterAll(() => rs.stop(), 60_000);

  it(`wakes it once and lands all ${BURST} exactly once`, async () => {
    // three callers (distinct MCP clients and connections), sends interleaved
    const callers = await Promise.all(['fake-alice', 'fake-bob', 'fake-alice'].map((id) => connectMcp(rs, { 'X-IAPeer-Identity': id })));
    const markers = Array.from({ length: BURST }, (_, i) => `burst-marker-${String(i).padStart(2, '0')}.`);
    const results = await Promise.all(markers.map((m, i) => callSend(callers[i % callers.length], { personality: 'zed', message: `message ${m}` })));

    for (const r of results) {
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent).toMatchObject({ ok: true, delivered_to: { personality: 'zed', runtime: 'fake' } });
    }
    expect(results.filter((r) => (r.structuredContent as { woke: boolean }).woke)).toHaveLength(1);

    for (const m of markers) expect(landedCount(rs.sb, 'zed', m)).toBe(1);
    expect(messagesOf(rs.sb, 'zed')).toHaveLength(BURST);

    await waitFor(async () => (await sessionsStarted(rs.sb, 'fake-zed')) === 1, 'one ev=wake outcome=ready for zed');
    const lines = await waitFor(async () => {
      const ok = (await deliveryLog(rs.sb)).filter((l) => l.to === 'zed' && l.ok === 'true');
      return ok.length >= BURST ? ok : undefined;
    }, `${BURST} ok=true delivery lines for zed`, 20_000);
    expect(lines).toHaveLength(BURST);
    expect(lines.filter((l) => l.woke === 'true')).toHaveLength(1);
    expect(await sessionsStarted(rs.sb, 'fake-zed')).toBe(1);
  }, 120_000);
});
