import path from 'node:path';
import { installFakeRuntime, makeSandbox, readFakeTranscript, runCli, TestStack, waitFor, type Sandbox } from '@iapeer/testing';

// The front door end to end: real registry, supervisor, router and logd processes, real
// tmux, the fake agent as a manifest runtime. A send to an asleep peer wakes it and the
// envelope lands exactly once; a second send goes to the live session.
describe('send → wake → deliver (all four services, real tmux)', () => {
  let sb: Sandbox;
  let stack: TestStack;
  const messages = (cwd: string) => readFakeTranscript(cwd).filter((r) => r.type === 'message').map((r) => r.text ?? '');

  beforeAll(async () => {
    sb = makeSandbox({ IAPEER_SUPERVISE_INTERVAL_MS: '3600000' });
    installFakeRuntime(sb);
    stack = new TestStack(sb);
    await stack.start();
    for (const name of ['alice', 'bob']) {
      const r = await runCli(['create', name, '--runtime', 'fake', '--description', `${name} the tester`], sb.env);
      expect(r.code).toBe(0);
    }
  });

  afterAll(async () => {
    await runCli(['stop', '--all'], sb.env).catch(() => undefined);
    await stack.stop();
    sb.cleanup();
  });

  it('wakes an asleep peer and delivers the envelope once', async () => {
    const r = await runCli(['send', 'bob', '--from', 'fake-alice', '--message', 'hello bob, first contact', '--topic', 'demo', '--json'], sb.env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: true, woke: true, delivered_to: { personality: 'bob', runtime: 'fake' } });
    const bobCwd = path.join(sb.paths.peersDir, 'bob');
    const got = messages(bobCwd).filter((m) => m.includes('hello bob, first contact'));
    expect(got).toHaveLength(1);
    expect(got[0]).toContain('from-personality="alice"');
    expect(got[0]).toContain('topic="demo"');
  });

  it('delivers to the live session without waking again', async () => {
    const r = await runCli(['send', 'bob', '--from', 'fake-alice', '--message', 'second message', '--json'], sb.env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, woke: false });
    await waitFor(() => messages(path.join(sb.paths.peersDir, 'bob')).some((m) => m.includes('second message')), 'the second message in bob\'s transcript');
  });

  it('logs the wake decision and one delivery line per send, never the body', async () => {
    const wake = await waitFor(async () => {
      const r = await runCli(['logs', 'lifecycle', '--ev', 'wake', '-n', '50'], sb.env);
      return r.stdout.split('\n').find((l) => l.includes('identity=fake-bob') && l.includes('mode=fresh'));
    }, 'the ev=wake line of bob in lifecycle.log');
    expect(wake).toMatch(/^ts=\S+ ev=wake /);
    const delivery = await waitFor(async () => {
      const lines = (await runCli(['logs', 'delivery', '-n', '50'], sb.env)).stdout.split('\n').filter((l) => l.includes('ok=true'));
      return lines.length >= 2 ? lines : undefined;
    }, 'two ok=true lines in delivery.log');
    expect(delivery.join('\n')).not.toContain('first contact');
    expect(delivery.join('\n')).not.toContain('second message');
  });

  it('refuses an unknown target before any wake, exit 1', async () => {
    const r = await runCli(['send', 'nobody', '--from', 'fake-alice', '--message', 'x'], sb.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nobody/);
  });
});
