import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { installFakeRuntime, makeSandbox, readFakeTranscript, runCli, TestStack, waitFor, type Sandbox } from '@iapeer/testing';

// The router and the supervisor each keep a tmux control connection (tmux -C) to a live
// session. When the session's tmux server is SIGKILLed under those connections, the next
// send must tell the truth: delivered to a freshly woken session, or an error saying
// NOT delivered. It must never claim a delivery into the dead server, and never hang.
describe('a tmux server killed under open control connections (all four services, real tmux)', () => {
  let sb: Sandbox;
  let stack: TestStack;
  const bobCwd = () => path.join(sb.paths.peersDir, 'bob');
  const landed = (needle: string) => readFakeTranscript(bobCwd()).filter((r) => r.type === 'message' && (r.text ?? '').includes(needle)).length;
  const clientsOf = (socket: string) => execFileSync('tmux', ['-S', socket, 'list-clients', '-F', '#{client_flags}'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes('control-mode')).length;
  const serverPid = () => Number(execFileSync('tmux', ['-S', sb.paths.tmuxSocket('fake-bob'), 'display-message', '-p', '#{pid}'], { encoding: 'utf8' }).trim());

  beforeAll(async () => {
    sb = makeSandbox({ IAPEER_SUPERVISE_INTERVAL_MS: '3600000' });
    installFakeRuntime(sb);
    stack = new TestStack(sb);
    await stack.start();
    for (const name of ['alice', 'bob']) expect((await runCli(['create', name, '--runtime', 'fake'], sb.env)).code).toBe(0);
  });

  afterAll(async () => {
    await runCli(['stop', '--all'], sb.env).catch(() => undefined);
    await stack.stop();
    sb.cleanup();
  });

  it('the next send is woken and delivered once, or reported NOT delivered; it returns within the send budget', async () => {
    const first = await runCli(['send', 'bob', '--from', 'fake-alice', '--message', 'before the kill', '--json'], sb.env);
    expect(first.code).toBe(0);
    expect(landed('before the kill')).toBe(1);
    // the router delivered over its control connection and the supervisor launched over its own
    await waitFor(() => clientsOf(sb.paths.tmuxSocket('fake-bob')) >= 2, 'the control clients of the router and the supervisor');

    process.kill(serverPid(), 'SIGKILL');

    const t0 = Date.now();
    const r = await runCli(['send', 'bob', '--from', 'fake-alice', '--message', 'after the kill', '--json'], sb.env);
    const tookMs = Date.now() - t0;
    expect(tookMs).toBeLessThan(30_000);
    if (r.code === 0) {
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, woke: true });
      expect(landed('after the kill')).toBe(1);
    } else {
      expect(r.stderr).toMatch(/NOT delivered/);
      expect(landed('after the kill')).toBe(0);
    }
    // and the peer is usable again: a third send goes to a live session, exactly once
    const third = await runCli(['send', 'bob', '--from', 'fake-alice', '--message', 'third send', '--json'], sb.env);
    expect(third.code).toBe(0);
    await waitFor(() => landed('third send') === 1, 'the third send in the transcript');
  });
});
