import { MAX_ATTACHMENTS, MAX_MESSAGE_LEN, MAX_TOPIC_LEN } from '@iapeer/core';
import { iapeerCodeOf } from '@iapeer/rpc';
import { runCli } from '@iapeer/testing';
import {
  bringUp,
  callSend,
  connectMcp,
  deliveryLog,
  snapshotRoot,
  startRouterStack,
  toolText,
  waitForDeliveryLine,
  wakeLines,
  type RouterStack,
} from './support/router-stack';

// Every refusal changes nothing (§12): no wake, no file written anywhere under the root
// (peer folders, lifecycle markers, tmux sockets, router state), and exactly one
// delivery.log line with ok=false and the error text, read back with `iapeer logs delivery`.
// alice is live (the usual caller); bob is asleep, so a send that were wrongly accepted
// would wake him and write his transcript; dora is stopped by the operator.

type Via = { mcp: Record<string, string> } | { socket: string };

interface RefusalCase {
  name: string;
  via: Via;
  args: Record<string, unknown>;
  text: string;
  code: string;
}

const ALICE: Via = { mcp: { 'X-IAPeer-Identity': 'fake-alice' } };
const HEADER_TEXT = 'missing or malformed x-iapeer-identity header — expected "<runtime>-<personality>"';
const toBob = (extra: Record<string, unknown> = {}) => ({ personality: 'bob', message: 'must not land', ...extra });

const CASES: RefusalCase[] = [
  // targets
  { name: 'an unknown peer', via: ALICE, args: { personality: 'nobody', message: 'x' }, text: 'peer "nobody" is not in the iapeer peers index; message NOT delivered', code: 'PEER_NOT_FOUND' },
  { name: 'an undeclared runtime of the target', via: ALICE, args: toBob({ runtime: 'claude' }), text: 'runtime "claude" is not declared for "bob" (declared: fake); message NOT delivered', code: 'RUNTIME_NOT_DECLARED' },
  { name: 'a stopped peer (the stop reason unchanged)', via: ALICE, args: { personality: 'dora', message: 'x' }, text: '"dora" (fake) is stopped and not accepting messages; start it to resume', code: 'PEER_STOPPED' },
  { name: 'self-send to a live self', via: ALICE, args: { personality: 'alice', message: 'x' }, text: 'cannot send to self', code: 'SEND_REJECTED' },
  { name: 'self-send to an asleep self (refused before any wake)', via: { mcp: { 'X-IAPeer-Identity': 'fake-bob' } }, args: toBob(), text: 'cannot send to self', code: 'SEND_REJECTED' },
  // the §8.2 identity header
  { name: 'a missing identity header', via: { mcp: {} }, args: toBob(), text: HEADER_TEXT, code: 'CALLER_UNKNOWN' },
  { name: 'a malformed identity header', via: { mcp: { 'X-IAPeer-Identity': 'alice' } }, args: toBob(), text: HEADER_TEXT, code: 'CALLER_UNKNOWN' },
  { name: 'an unknown identity', via: { mcp: { 'X-IAPeer-Identity': 'fake-mallory' } }, args: toBob(), text: 'unknown caller "mallory" — not registered in peers-profiles.json', code: 'CALLER_UNKNOWN' },
  { name: 'a spoofed identity (a runtime the peer does not declare)', via: { mcp: { 'X-IAPeer-Identity': 'claude-alice' } }, args: toBob(), text: 'runtime "claude" is not declared for caller "alice" (declared: fake)', code: 'CALLER_UNKNOWN' },
  // §5.3, one past each edge
  { name: 'a message one past 16,000 characters', via: ALICE, args: toBob({ message: 'm'.repeat(MAX_MESSAGE_LEN + 1) }), text: 'message is 16001 characters; at most 16000 allowed; message NOT delivered', code: 'SEND_REJECTED' },
  { name: 'a message of 16,001 code points (astral characters count once)', via: ALICE, args: toBob({ message: '😀'.repeat(MAX_MESSAGE_LEN + 1) }), text: 'message is 16001 characters; at most 16000 allowed; message NOT delivered', code: 'SEND_REJECTED' },
  { name: 'a topic one past 200 characters', via: ALICE, args: toBob({ topic: 't'.repeat(MAX_TOPIC_LEN + 1) }), text: 'topic is 201 characters; at most 200 allowed; message NOT delivered', code: 'SEND_REJECTED' },
  { name: 'one attachment past 20', via: ALICE, args: toBob({ attachments: Array.from({ length: MAX_ATTACHMENTS + 1 }, (_, i) => `/tmp/a${i}`) }), text: '21 attachments; at most 20 allowed; message NOT delivered', code: 'SEND_REJECTED' },
  { name: 'a relative attachment', via: ALICE, args: toBob({ attachments: ['notes.txt'] }), text: 'attachment 1 "notes.txt" is not an absolute path (it must start with /); message NOT delivered', code: 'SEND_REJECTED' },
  { name: 'an attachment with a line feed', via: ALICE, args: toBob({ attachments: ['/tmp/a', '/tmp/b\nc'] }), text: 'attachment 2 contains a CR or LF; paths must be one line; message NOT delivered', code: 'SEND_REJECTED' },
  { name: 'an empty message', via: ALICE, args: toBob({ message: '' }), text: 'message is empty; message NOT delivered', code: 'SEND_REJECTED' },
  { name: 'an empty personality', via: ALICE, args: { personality: '', message: 'x' }, text: 'personality is required: the target peer\'s name, e.g. "boris"; message NOT delivered', code: 'SEND_REJECTED' },
  // the router socket (tRPC `send`, what `iapeer send` uses) refuses the same way
  { name: 'over the socket: an unknown peer', via: { socket: 'fake-alice' }, args: { personality: 'nobody', message: 'x' }, text: 'peer "nobody" is not in the iapeer peers index; message NOT delivered', code: 'PEER_NOT_FOUND' },
  { name: 'over the socket: a stopped peer', via: { socket: 'fake-alice' }, args: { personality: 'dora', message: 'x' }, text: '"dora" (fake) is stopped and not accepting messages; start it to resume', code: 'PEER_STOPPED' },
  { name: 'over the socket: a message one past 16,000 characters', via: { socket: 'fake-alice' }, args: toBob({ message: 'm'.repeat(MAX_MESSAGE_LEN + 1) }), text: 'message is 16001 characters; at most 16000 allowed; message NOT delivered', code: 'SEND_REJECTED' },
  { name: 'over the socket: a topic one past 200 characters', via: { socket: 'fake-alice' }, args: toBob({ topic: 't'.repeat(MAX_TOPIC_LEN + 1) }), text: 'topic is 201 characters; at most 200 allowed; message NOT delivered', code: 'SEND_REJECTED' },
  { name: 'over the socket: one attachment past 20', via: { socket: 'fake-alice' }, args: toBob({ attachments: Array.from({ length: MAX_ATTACHMENTS + 1 }, (_, i) => `/tmp/a${i}`) }), text: '21 attachments; at most 20 allowed; message NOT delivered', code: 'SEND_REJECTED' },
  { name: 'over the socket: self-send', via: { socket: 'fake-bob' }, args: toBob(), text: 'cannot send to self', code: 'SEND_REJECTED' },
  { name: 'over the socket: an unregistered --from', via: { socket: 'fake-mallory' }, args: toBob(), text: 'unknown caller "mallory" — not registered in peers-profiles.json', code: 'CALLER_UNKNOWN' },
];

describe('every refusal changes nothing and is logged with ok=false', () => {
  let rs: RouterStack;

  beforeAll(async () => {
    rs = await startRouterStack(['alice', 'bob', 'dora']);
    await bringUp(rs, 'alice');
    const stop = await runCli(['stop', 'dora'], rs.sb.env);
    expect(stop.code).toBe(0);
  }, 60_000);
  afterAll(() => rs.stop(), 60_000);

  /** Sends and returns the refusal's text and iapeer code (the test fails on a success). */
  async function refusalOf(c: RefusalCase): Promise<{ text: string; code: string }> {
    if ('mcp' in c.via) {
      const r = await callSend(await connectMcp(rs, c.via.mcp), c.args);
      expect(r.isError).toBe(true);
      expect(r.structuredContent).toEqual({ ok: false, code: expect.any(String), error: toolText(r) });
      return { text: toolText(r), code: (r.structuredContent as { code: string }).code };
    }
    const router = rs.stack.client('router');
    try {
      await router.client.send.mutate({ from: c.via.socket, ...c.args } as never);
    } catch (err) {
      return { text: (err as Error).message, code: iapeerCodeOf(err) ?? 'none' };
    } finally {
      router.close();
    }
    throw new Error(`${c.name}: the send was accepted`);
  }

  it.each(CASES)('refuses $name', async (c) => {
    const logBefore = await deliveryLog(rs.sb);
    const wakesBefore = (await wakeLines(rs.sb)).length;
    const before = snapshotRoot(rs.sb);

    const { text, code } = await refusalOf(c);
    expect({ text, code }).toEqual({ text: c.text, code: c.code });

    const { line, lines } = await waitForDeliveryLine(rs.sb, (l) => l.ok === 'false', `ok=false err="${c.text}"`, logBefore.length);
    expect(line).toMatchObject({ ev: 'delivery', path: 'mcp' in c.via ? 'mcp' : 'cli', err: c.text, code: c.code });
    expect(line.via).toBeUndefined();
    expect(line.woke).toBeUndefined();
    expect(lines.slice(logBefore.length)).toHaveLength(1);

    expect(snapshotRoot(rs.sb)).toEqual(before);
    // A stopped peer: the router must ask the supervisor to learn it, and the supervisor logs
    // its refused wake (`mode=refused`; asynchronously, and storm-compacted when repeated, so
    // it may land during a later case). Those lines are the only wake lines a refusal may cause.
    const newWakes = (await wakeLines(rs.sb)).slice(wakesBefore).filter((l) => !(l.identity === 'fake-dora' && l.mode === 'refused'));
    expect(newWakes).toEqual([]);
  });

  it('never logs a refused body either', async () => {
    const text = JSON.stringify(await deliveryLog(rs.sb));
    expect(text).not.toContain('must not land');
    expect(text).not.toContain('m'.repeat(100));
  });
});
