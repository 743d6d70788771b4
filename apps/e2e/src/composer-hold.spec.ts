import fs from 'node:fs';
import path from 'node:path';
import type { LogdRouter } from '@iapeer/contracts';
import type { RpcClient } from '@iapeer/rpc';
import { readFakeTranscript, waitFor } from '@iapeer/testing';
import { field, startLifecycleWorld, type LifecycleWorld } from './support/lifecycle-world';
import { outerTmux } from './support/outer-tmux';

// docs/behaviour.md §6.4 end to end, with a REAL attached client: an outer tmux session
// (its own socket in the sandbox) whose pane runs `tmux -S <bob's socket> attach`, so the
// outer session is the human's pty. The human types into the fake agent's input row with
// send-keys on the outer session; a peer's message to bob is then held (queued, never
// pasted), the human's Enter submits their text alone, and the message lands after it as
// its own turn. Also: `--wait`, a router SIGKILL while held (delivered once after the
// restart), and the queue timeout (the sender's "delivery failed" message from iapeer).
describe('composer hold (real services, real tmux, a real attached human)', () => {
  let w: LifecycleWorld;
  let logd: RpcClient<LogdRouter>;
  let bobCwd: string;
  let aliceCwd: string;
  const BOB = 'fake-bob';
  const outer = (...args: string[]) => outerTmux(w.sb.dir, ...args);
  const state = async () => w.sup.client.activity.query({ identity: BOB });
  const messages = (cwd: string) => readFakeTranscript(cwd).filter((r) => r.type === 'message').map((r) => r.text ?? '');
  const queueDir = () => path.join(w.sb.paths.serviceStateDir, 'composer-queue', BOB);
  const held = () => (fs.existsSync(queueDir()) ? fs.readdirSync(queueDir()).filter((n) => n.endsWith('.json')) : []);
  const delivery = async () => (await logd.client.query.query({ log: 'delivery', n: 10_000 })).lines;
  const send = (message: string, ...extra: string[]) => w.cli(['send', 'bob', '--from', 'fake-alice', '--message', message, '--json', ...extra]);

  /** The human types into bob's input row through the attached terminal: bob reads held. */
  async function humanTypes(text: string): Promise<void> {
    outer('send-keys', '-t', 'human', '-l', text);
    await waitFor(async () => ((await state()).state === 'held' ? true : null), `bob to read held after typing "${text}"`, 10_000, 50);
  }

  beforeAll(async () => {
    w = await startLifecycleWorld();
    logd = w.stack.client('logd');
    aliceCwd = await w.createPeer('alice');
    bobCwd = await w.createPeer('bob');
    // both awake: bob is the target, alice the sender who hears about failures
    expect((await w.cli(['send', 'alice', '--from', 'fake-bob', '--message', 'wake up alice'])).code).toBe(0);
    expect((await send('wake up bob')).code).toBe(0);
    outer('new-session', '-d', '-s', 'human', '-x', '200', '-y', '50', '--', 'tmux', '-S', w.sb.paths.tmuxSocket(BOB), 'attach', '-t', `=${BOB}`);
    await waitFor(async () => ((await state()).humans === 1 && (await state()).state === 'ready' ? true : null), 'the human client to attach to a ready bob');
  }, 120_000);
  afterAll(async () => {
    try {
      outer('kill-server');
    } catch {
      // no outer server left
    }
    await w.close();
  });

  it('a human typing: the send is queued at once; the human\'s Enter submits their text alone, then the message lands as its own turn', async () => {
    await humanTypes('half a sentence by the human');
    const before = messages(bobCwd).length;
    const r = await send('a peer message while the human types');
    expect(r.code).toBe(0);
    const answer = JSON.parse(r.stdout);
    expect(answer).toMatchObject({ ok: true, queued: true, queuedBy: 'composer', queueDepth: 1, delivered_to: { personality: 'bob', runtime: 'fake' } });
    expect(answer.note).toContain('a human is typing in its input row');
    const plain = await w.cli(['send', 'bob', '--from', 'fake-alice', '--message', 'a second one']);
    expect([plain.code, plain.stdout.trim()]).toEqual([0, expect.stringMatching(/^queued for bob \(fake\), depth 2 — a human is typing in its input row/)]);
    expect(held()).toHaveLength(2);
    // nothing was pasted: the agent got nothing, the input row holds only the human's text
    expect(messages(bobCwd).length).toBe(before);
    expect((await state()).state).toBe('held');

    outer('send-keys', '-t', 'human', 'Enter');
    const after = await waitFor(() => {
      const m = messages(bobCwd).slice(before);
      return m.length >= 3 ? m : null;
    }, 'the human\'s turn and both held messages', 20_000, 50);
    expect(after[0]).toBe('half a sentence by the human');
    expect(after[1]).toContain('a peer message while the human types');
    expect(after[2]).toContain('a second one');
    // never merged: no turn carries both the human's text and a message
    for (const m of after.slice(1)) expect(m).not.toContain('half a sentence');
    expect(after).toHaveLength(3);
    await waitFor(() => (held().length === 0 ? true : null), 'the queue to empty');
    const lines = await delivery();
    expect(lines.filter((l) => field(l, 'ev') === 'delivery' && field(l, 'qkind') === 'composer').map((l) => field(l, 'qd'))).toEqual(['1', '2']);
    await waitFor(async () => ((await delivery()).filter((l) => field(l, 'ev') === 'composer-queue-landed').length === 2 ? true : null), 'two ev=composer-queue-landed lines');
  }, 60_000);

  it('`iapeer send --wait` blocks while held and exits 0 with the delivered line once it lands', async () => {
    await humanTypes('typing again');
    const before = messages(bobCwd).length;
    const waiting = w.cli(['send', 'bob', '--from', 'fake-alice', '--message', 'wait for me', '--wait'], { timeoutMs: 60_000 });
    await waitFor(() => (held().length === 1 ? true : null), 'the message to be held');
    let done = false;
    void waiting.then(() => (done = true));
    // held for as long as the human keeps typing: --wait has not returned
    await waitFor(async () => ((await logd.client.query.query({ log: 'delivery', n: 10_000 })).lines.some((l) => l.includes('qkind=composer') && l.includes('ev=delivery')) ? true : null), 'the queued line');
    expect(done).toBe(false);
    outer('send-keys', '-t', 'human', 'Enter');
    const r = await waiting;
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^queued for bob \(fake\), depth 1 — /), 'delivered to bob (fake)']);
    const m = messages(bobCwd).slice(before);
    expect(m[0]).toBe('typing again');
    expect(m[1]).toContain('wait for me');
  }, 60_000);

  it('a router SIGKILL while held: the message is on disk and is delivered exactly once after the restart', async () => {
    await humanTypes('the router dies while I type');
    const before = messages(bobCwd).length;
    const r = await send('survive the crash');
    expect(JSON.parse(r.stdout)).toMatchObject({ queued: true, queueDepth: 1 });
    expect(held()).toHaveLength(1);
    await w.stack.kill('router');
    expect(held()).toHaveLength(1);
    outer('send-keys', '-t', 'human', 'Enter'); // the row frees while no router runs
    await waitFor(() => (messages(bobCwd).length === before + 1 ? true : null), 'the human\'s turn');
    await w.stack.restart('router');
    await waitFor(() => (messages(bobCwd).length >= before + 2 ? true : null), 'the held message after the restart', 20_000, 50);
    await waitFor(() => (held().length === 0 ? true : null), 'the queue to empty');
    // a second look a moment later: still exactly once
    await waitFor(async () => ((await delivery()).some((l) => field(l, 'ev') === 'composer-queue-landed' && l.includes('caller=fake-alice')) ? true : null), 'the landed line');
    const landed = messages(bobCwd).slice(before);
    expect(landed[0]).toBe('the router dies while I type');
    expect(landed.filter((m) => m.includes('survive the crash'))).toHaveLength(1);
    expect(landed).toHaveLength(2);
  }, 60_000);

  it('timeout: never force-pasted; `--wait` exits 1, the sender gets "delivery failed" from iapeer, delivery.log says so', async () => {
    await w.stack.restart('router', { IAPEER_COMPOSER_QUEUE_TIMEOUT_MS: '1500' });
    await humanTypes('a human who never finishes');
    const bobBefore = messages(bobCwd).length;
    const aliceBefore = messages(aliceCwd).length;
    const r = await send('this one times out', '--wait', '--topic', 'plans');
    expect(r.code).toBe(1);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out[0]).toMatchObject({ queued: true, queuedBy: 'composer' });
    expect(out[1]).toMatchObject({ ok: false, code: 'HELD_DELIVERY_FAILED', error: expect.stringContaining('delivery failed: a human kept text in the input row of fake-bob for 2 s') });
    const notice = await waitFor(() => messages(aliceCwd).slice(aliceBefore).find((m) => m.includes('from-personality="iapeer"')), 'alice\'s delivery-failed notice', 20_000, 50);
    expect(notice).toContain('topic="plans"');
    expect(notice).toContain('delivery failed: your message to bob (fake), queued at ');
    expect(notice).toContain('was NOT delivered: a human kept text in the input row of fake-bob');
    // bob got nothing, and the human's text is still theirs alone
    expect(messages(bobCwd).length).toBe(bobBefore);
    expect((await state()).state).toBe('held');
    const lines = await waitFor(async () => {
      const all = await delivery();
      return all.some((l) => field(l, 'ev') === 'composer-queue-failed-notify') ? all : null;
    }, 'the notify line');
    expect(lines.find((l) => field(l, 'ev') === 'composer-queue-failed')).toMatch(/caller=fake-alice to=bob via=fake-bob .*ok=false reason=timeout/);
    expect(lines.find((l) => field(l, 'ev') === 'composer-queue-failed-notify')).toMatch(/caller=iapeer to=alice via=fake-alice .*reason=timeout ok=true/);
    // the human gives up: clears the row
    outer('send-keys', '-t', 'human', ...Array(30).fill('BSpace'));
    await waitFor(async () => ((await state()).state === 'ready' ? true : null), 'bob ready again');
  }, 60_000);
});
