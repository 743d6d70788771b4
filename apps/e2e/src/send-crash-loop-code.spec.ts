import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { waitFor } from '@iapeer/testing';
import { mcpUrl, toolText } from './support/router-stack';
import { fakeMessages, installMisbehavingRuntime, startLifecycleWorld, type LifecycleWorld } from './support/lifecycle-world';

// Error codes cross every hop unchanged: a send whose wake the supervisor refuses with
// CRASH_LOOP reaches the sender as CRASH_LOOP with the supervisor's text, over MCP
// (send_to_peer) and over the CLI (`iapeer send`, plain and --json), not as WAKE_FAILED.
describe('a send to a crash-looped peer carries the supervisor\'s CRASH_LOOP code and text (real services, real tmux)', () => {
  let w: LifecycleWorld;
  let carlCwd: string;
  let mcp: Client;
  const CARL = 'crashy-carl';

  const cliSend = (message: string, ...extra: string[]) => w.cli(['send', 'carl', '--from', 'fake-alice', '--message', message, ...extra]);
  const deadPane = () => waitFor(async () => (await w.tmux.inspect(CARL)).state === 'dead', 'the crashed agent to leave a dead pane');

  beforeAll(async () => {
    // header-only: the MCP caller is named by its header (per-session tokens have their own e2e)
    w = await startLifecycleWorld({ IAPEER_CRASHLOOP_MAX: '2', IAPEER_CRASHLOOP_WINDOW_SECS: '300', IAPEER_MCP_IDENTITY: 'header-only' });
    installMisbehavingRuntime(w.sb, 'crashy', { crashAfter: 1 });
    await w.createPeer('alice');
    carlCwd = await w.createPeer('carl', { runtime: 'crashy' });
    // two deaths: each message wakes carl, who takes it and dies (the next wake's heal records
    // the death). He may die before the router verifies the woken session, so the send's own
    // answer is not asserted here: that the message reached him is.
    for (const n of [1, 2]) {
      await cliSend(`message ${n}`);
      expect(fakeMessages(carlCwd)).toHaveLength(n);
      await deadPane();
    }
    mcp = new Client({ name: 'iapeer-e2e', version: '1.0.0' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(mcpUrl(w.sb)), { requestInit: { headers: { 'X-IAPeer-Identity': 'fake-alice' } } }));
  }, 120_000);
  afterAll(async () => {
    await mcp?.close().catch(() => undefined);
    await w?.close();
  }, 60_000);

  /** The guard's own reason, as the supervisor answers a wake (a refusal: it changes nothing). */
  async function supervisorReason(): Promise<string> {
    const r = await w.sup.client.wake.mutate({ personality: 'carl', task: 'x' });
    if (r.status !== 'FAILED') throw new Error(`expected the crash-loop guard to refuse the wake, got ${JSON.stringify(r)}`);
    expect(r.code).toBe('CRASH_LOOP');
    return r.reason;
  }

  it('the supervisor refuses the wake with CRASH_LOOP and the guard\'s reason', async () => {
    expect(await supervisorReason()).toBe('crash-loop guard: 2 deaths in 300s, leaving asleep');
  });

  it('MCP send_to_peer: isError, the text, and structuredContent {ok:false, code:"CRASH_LOOP", error}', async () => {
    const reason = await supervisorReason();
    const r = (await mcp.callTool({ name: 'send_to_peer', arguments: { personality: 'carl', message: 'over mcp' } })) as CallToolResult;
    const text = `peer "carl" offline and wake failed: ${reason}`;
    expect(r.isError).toBe(true);
    expect(toolText(r)).toBe(text);
    expect(r.structuredContent).toEqual({ ok: false, code: 'CRASH_LOOP', error: text });
  });

  it('`iapeer send`: `iapeer send: <text>` on stderr, exit 1; with --json the result carries code CRASH_LOOP', async () => {
    const reason = await supervisorReason();
    const text = `peer "carl" offline and wake failed: ${reason}`;
    const plain = await cliSend('over the cli');
    expect({ code: plain.code, stderr: plain.stderr, stdout: plain.stdout }).toEqual({ code: 1, stderr: `iapeer send: ${text}\n`, stdout: '' });
    const json = await cliSend('over the cli, json', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ ok: false, code: 'CRASH_LOOP', error: text });
    expect(json.stderr).toBe(`iapeer send: ${text}\n`);
  });

  it('none of the refused messages reached an agent, and carl was left asleep', async () => {
    expect(fakeMessages(carlCwd)).toEqual([expect.stringContaining('message 1'), expect.stringContaining('message 2')]);
    expect((await w.tmux.inspect(CARL)).state).toBe('absent');
  });
});
