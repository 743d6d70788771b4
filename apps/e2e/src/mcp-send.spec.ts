import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { MAX_ATTACHMENTS, MAX_MESSAGE_LEN, MAX_TOPIC_LEN } from '@iapeer/core';
import { waitFor } from '@iapeer/testing';
import {
  bringUp,
  callSend,
  connectMcp,
  landedCount,
  mcpUrl,
  sessionsStarted,
  startRouterStack,
  toolText,
  waitForDeliveryLine,
  wakeLines,
  type RouterStack,
} from './support/router-stack';

// send_to_peer through the whole system: the MCP SDK's own client, over the URL the router
// advertises in router.json, with the §8.2 identity header, into fake agents in real tmux
// (registry, supervisor, router and logd as real processes). Also the router's tRPC socket.
describe('send_to_peer over MCP HTTP into live and asleep fake agents', () => {
  let rs: RouterStack;

  beforeAll(async () => {
    rs = await startRouterStack(['alice', 'bob', 'carol', 'edna', 'fred']);
    await bringUp(rs, 'bob');
  }, 60_000);
  afterAll(() => rs.stop(), 60_000);

  it('advertises the bound MCP URL in router.json, and the SDK client sees exactly send_to_peer', async () => {
    const url = mcpUrl(rs.sb);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(url).not.toMatch(/:0\//);
    expect(fs.statSync(rs.sb.paths.routerJson).mode & 0o777).toBe(0o600);
    const client = await connectMcp(rs, { 'X-IAPeer-Identity': 'fake-alice' });
    expect(client.getServerVersion()).toEqual({ name: 'iapeer', version: '0.0.0' });
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['send_to_peer']);
  });

  it('delivers to a live peer: woke=false, the envelope lands once, a delivery.log line with ok=true', async () => {
    const client = await connectMcp(rs, { 'X-IAPeer-Identity': 'fake-alice' });
    const r = await callSend(client, { personality: 'bob', message: 'live mcp marker-L1', topic: 'e2e' });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ ok: true, delivered_to: { personality: 'bob', runtime: 'fake' }, woke: false });
    expect(JSON.parse(toolText(r))).toEqual(r.structuredContent);
    // ok means landed (§6.3): the transcript already holds it when the call returns
    expect(landedCount(rs.sb, 'bob', 'marker-L1')).toBe(1);
    const { line } = await waitForDeliveryLine(rs.sb, (l) => l.path === 'mcp' && l.to === 'bob' && l.topic === 'e2e', 'the live mcp send');
    expect(line).toMatchObject({ ev: 'delivery', caller: 'fake-alice', ok: 'true', via: 'fake-bob', woke: 'false', len: String('live mcp marker-L1'.length), att: '0' });
    expect(line.err).toBeUndefined();
  });

  it('wakes an asleep peer and delivers as its first message: woke=true, one wake, lands once', async () => {
    expect(await wakeLines(rs.sb, 'fake-carol')).toEqual([]);
    const client = await connectMcp(rs, { 'X-IAPeer-Identity': 'fake-alice' });
    const r = await callSend(client, { personality: 'carol', message: 'wake up carol marker-W1' });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ ok: true, delivered_to: { personality: 'carol', runtime: 'fake' }, woke: true });
    expect(landedCount(rs.sb, 'carol', 'marker-W1')).toBe(1);
    await waitFor(async () => (await sessionsStarted(rs.sb, 'fake-carol')) > 0, 'the ev=wake outcome=ready line of carol');
    expect(await sessionsStarted(rs.sb, 'fake-carol')).toBe(1);
    await waitForDeliveryLine(rs.sb, (l) => l.to === 'carol' && l.ok === 'true' && l.woke === 'true', 'carol woken');

    // the next message goes to the live session
    const again = await callSend(client, { personality: 'carol', message: 'second marker-W2' });
    expect(again.structuredContent).toMatchObject({ ok: true, woke: false });
    expect(landedCount(rs.sb, 'carol', 'marker-W2')).toBe(1);
    expect(await sessionsStarted(rs.sb, 'fake-carol')).toBe(1);
  });

  it('accepts every §5.3 limit exactly at the edge', async () => {
    const client = await connectMcp(rs, { 'X-IAPeer-Identity': 'fake-alice' });
    const message = `edge-M ${'x'.repeat(MAX_MESSAGE_LEN - 7)}`;
    expect(message).toHaveLength(MAX_MESSAGE_LEN);
    const attachments = Array.from({ length: MAX_ATTACHMENTS }, (_, i) => `/tmp/edge-${i}.txt`);
    const r = await callSend(client, { personality: 'bob', message, topic: 't'.repeat(MAX_TOPIC_LEN), attachments });
    expect(toolText(r)).not.toMatch(/NOT delivered/);
    expect(r.structuredContent).toMatchObject({ ok: true, delivered_to: { personality: 'bob' } });
    expect(landedCount(rs.sb, 'bob', message)).toBe(1);
  });

  it('the router socket (tRPC send, as `iapeer send` uses it) delivers the same way', async () => {
    const router = rs.stack.client('router');
    try {
      const r = await router.client.send.mutate({ from: 'fake-alice', personality: 'edna', message: 'over the socket marker-S1' });
      expect(r).toMatchObject({ ok: true, delivered_to: { personality: 'edna', runtime: 'fake' }, woke: true });
      const live = await router.client.send.mutate({ from: 'fake-alice', personality: 'edna', message: 'again marker-S2' });
      expect(live).toMatchObject({ ok: true, woke: false });
    } finally {
      router.close();
    }
    expect(landedCount(rs.sb, 'edna', 'marker-S1')).toBe(1);
    expect(landedCount(rs.sb, 'edna', 'marker-S2')).toBe(1);
    await waitForDeliveryLine(rs.sb, (l) => l.path === 'cli' && l.to === 'edna' && l.woke === 'false', 'the socket send');
  });

  it('a peer whose agent died (dead pane, tmux socket left behind) is woken again and gets the message once', async () => {
    await bringUp(rs, 'fred');
    const socket = rs.sb.paths.tmuxSocket('fake-fred');
    const pid = Number(execFileSync('tmux', ['-S', socket, 'display-message', '-p', '-t', 'fake-fred', '#{pane_pid}'], { encoding: 'utf8' }).trim());
    process.kill(pid, 'SIGKILL');
    await waitFor(() => execFileSync('tmux', ['-S', socket, 'display-message', '-p', '-t', 'fake-fred', '#{pane_dead}'], { encoding: 'utf8' }).trim() === '1', 'fred\'s pane to be dead');
    expect(fs.existsSync(socket)).toBe(true);

    const client = await connectMcp(rs, { 'X-IAPeer-Identity': 'fake-alice' });
    const r = await callSend(client, { personality: 'fred', message: 'after the crash marker-D1' });
    expect(toolText(r)).not.toMatch(/NOT delivered/);
    expect(r.structuredContent).toMatchObject({ ok: true, delivered_to: { personality: 'fred', runtime: 'fake' }, woke: true });
    expect(landedCount(rs.sb, 'fred', 'marker-D1')).toBe(1);
  });
});
