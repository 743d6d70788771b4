import fs from 'node:fs';
import path from 'node:path';
import { installFakeRuntime, makeSandbox, runCli, TestStack, type Sandbox } from '@iapeer/testing';

// A manifest that cannot work is refused at load (docs/behaviour.md §7.8): the runtime is
// unavailable, and the operator sees which file, which field, why and the fix, at once,
// instead of a wake that waits out its whole boot deadline. Real services, real CLI.
describe('a refused runtime manifest (readyPattern "^❯ ") gives a clear CLI error', () => {
  let sb: Sandbox;
  let stack: TestStack;
  let manifest: string;

  beforeAll(async () => {
    sb = makeSandbox({ IAPEER_SUPERVISE_INTERVAL_MS: '3600000' });
    manifest = installFakeRuntime(sb, { name: 'toy' });
    // The original's favourite mistake: tmux trims the space of an empty "❯ " input row.
    fs.writeFileSync(manifest, JSON.stringify({ ...JSON.parse(fs.readFileSync(manifest, 'utf8')), readyPattern: '^❯ ' }));
    stack = new TestStack(sb);
    await stack.start();
    for (const name of ['alice', 'bob']) expect((await runCli(['create', name, '--runtime', 'toy', '--description', name], sb.env)).code).toBe(0);
  });

  afterAll(async () => {
    await runCli(['stop', '--all'], sb.env).catch(() => undefined);
    await stack.stop();
    sb.cleanup();
  });

  const names = (text: string) => {
    expect(text).toContain(`${manifest}: field "readyPattern": pattern "^❯ " ends in whitespace`);
    expect(text).toContain('tmux trims the trailing spaces of every pane row');
    expect(text).toContain('drop the trailing whitespace ("^❯")');
  };

  it('send: exit 1 within seconds, naming the file, the field, the reason and the fix; nothing spawned', async () => {
    const started = Date.now();
    const r = await runCli(['send', 'bob', '--from', 'toy-alice', '--message', 'hello'], sb.env);
    expect(r.code).toBe(1);
    names(r.stderr);
    expect(r.stderr).toContain('RUNTIME_MANIFEST_INVALID');
    expect(Date.now() - started).toBeLessThan(20_000); // not the 240 s boot deadline
    const rows = JSON.parse((await runCli(['list', '--json'], sb.env)).stdout) as Array<{ personality: string; runtimes: Array<{ status: string }> }>;
    expect(rows.find((p) => p.personality === 'bob')?.runtimes[0].status).toBe('asleep');
  });

  it('launch in the peer folder (`iapeer toy`): the same reason', async () => {
    const r = await runCli(['toy'], sb.env, { cwd: path.join(sb.paths.peersDir, 'bob') });
    expect(r.code).toBe(1);
    names(r.stderr);
  });
});
