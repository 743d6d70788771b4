import { spawn } from 'node:child_process';
import type { LogdRouter } from '@iapeer/contracts';
import { CLI_BIN, makeSandbox, runCli, TestStack, waitFor, type Sandbox } from '@iapeer/testing';
import type { RpcClient } from '@iapeer/rpc';

const line = (ev: string, identity: string, i: number) => `ts=2026-01-01T00:00:0${i % 10}.000Z ev=${ev} identity=${identity} i=${i}`;

describe('iapeer logs', () => {
  let sb: Sandbox;
  let stack: TestStack;
  let rpc: RpcClient<LogdRouter>;
  let seq = 0;
  const append = (lines: string[]) => rpc.client.append.mutate({ producer: 'cli-test', seq: seq++, entries: [{ log: 'lifecycle', lines }] });

  beforeAll(async () => {
    sb = makeSandbox();
    stack = new TestStack(sb);
    await stack.start(['logd']);
    rpc = stack.client('logd');
  });
  afterAll(async () => {
    await stack.stop();
    sb.cleanup();
  });

  it('prints the last N lines, filtered by --ev and --peer', async () => {
    await append([line('wake', 'claude-boris', 1), line('supervise', 'claude-boris', 2), line('wake', 'codex-ann', 3), line('wake', 'claude-boris', 4)]);
    const r = await runCli(['logs', 'lifecycle', '--ev', 'wake', '--peer', 'boris', '-n', '1'], sb.env);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`${line('wake', 'claude-boris', 4)}\n`);
    const all = await runCli(['logs', '-n', '10'], sb.env);
    expect(all.stdout.trim().split('\n')).toHaveLength(4);
  });

  it('refuses an unknown log or a bad -n with exit 2 and says what to use', async () => {
    const r = await runCli(['logs', 'nope'], sb.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown log "nope"; use one of lifecycle, delivery');
    const n = await runCli(['logs', '-n', 'ten'], sb.env);
    expect(n.code).toBe(2);
    expect(n.stderr).toContain('-n expects a whole number');
  });

  it('-f follows new lines live and keeps following across a logd restart', async () => {
    const child = spawn(process.execPath, [CLI_BIN, 'logs', 'lifecycle', '-f', '-n', '0', '--ev', 'follow'], { env: sb.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    try {
      // the follower subscribes after its query: keep appending until it shows one
      let i = 0;
      await waitFor(async () => {
        await append([line('follow', 'claude-x', i++)]);
        return out.includes('ev=follow');
      }, 'the follower to print a live line');
      await stack.restart('logd');
      rpc = stack.client('logd');
      await append([line('follow', 'claude-x', 99)]);
      await waitFor(() => out.includes('i=99'), 'the follower to print a line written after the restart', 15_000);
      expect(out).not.toContain('ev=wake');
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
