import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createTmuxDriver } from '@iapeer/tmux';
import { CLI_BIN, makeSandbox, waitFor, type Sandbox } from '@iapeer/testing';

// `iapeer run-infra` as the service manager runs it: the real CLI bundle in the peer's
// folder, real tmux on the sandbox's sockets, a stand-in notifier program (the router
// adapter's argv comes from NOTIFIER_RUNTIME_BIN). No service is running: an always-on
// peer needs none of them.
describe('iapeer run-infra <peer> <runtime> (§7.10)', () => {
  let sb: Sandbox;
  let cwd: string;
  let standin: string;
  let runs: string;
  const identity = 'notifier-pager';
  const children: ChildProcess[] = [];
  const tmux = () => createTmuxDriver({ sockDir: sb.paths.sockDir, baseEnv: sb.env });

  const writeProgram = (file: string, body: string) => {
    fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return file;
  };

  /** Starts the holder like the manager does: WorkingDirectory = the peer folder, the job's env. */
  const hold = (program: string, extra: Record<string, string> = {}) => {
    const out: string[] = [];
    const child = spawn(process.execPath, [CLI_BIN, 'run-infra', 'pager', 'notifier'], {
      cwd,
      env: { ...sb.env, NOTIFIER_RUNTIME_BIN: program, STANDIN_RUNS: runs, IAPEER_INFRA_POLL_MS: '100', IAPEER_INFRA_RECHECK_MS: '300', ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.setEncoding('utf8').on('data', (d: string) => out.push(d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => out.push(d));
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, exited, output: () => out.join('') };
  };

  beforeEach(() => {
    sb = makeSandbox();
    cwd = path.join(sb.dir, 'pager');
    fs.mkdirSync(path.join(cwd, '.iapeer'), { recursive: true });
    fs.writeFileSync(path.join(cwd, '.iapeer', 'peer-profile.json'), JSON.stringify({ personality: 'pager', default_runtime: 'notifier', runtimes: ['notifier'] }));
    runs = path.join(sb.dir, 'runs.log');
    standin = writeProgram(path.join(sb.dir, 'notifier-standin'), 'echo "$PEER_IDENTITY $*" >> "$STANDIN_RUNS"\nexec sleep 600');
  });

  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await tmux().kill(identity);
    sb.cleanup();
  });

  it('launches the runtime in tmux with the identity ABI and holds it; exits 0 when the session dies', async () => {
    const h = hold(standin);
    await waitFor(() => fs.existsSync(runs) && fs.readFileSync(runs, 'utf8').includes('notifier-pager run'), 'the stand-in to start inside the session');
    expect(await tmux().isAlive(identity)).toBe(true);
    await waitFor(() => h.output().includes('holding'), 'run-infra to pass the recheck and hold the session');
    expect(h.child.exitCode).toBeNull(); // still in the foreground, watching
    await tmux().kill(identity);
    expect(await h.exited).toBe(0);
    expect(h.output()).toContain(`run-infra ${identity}: session-ended`);
  });

  it('adopts a session that is already up instead of launching a second one', async () => {
    const first = hold(standin);
    await waitFor(() => first.output().includes('launched'), 'the first holder to launch');
    first.child.kill('SIGKILL'); // the holder crashes; its session stays up
    await first.exited;
    expect(await tmux().isAlive(identity)).toBe(true);
    const second = hold(standin);
    await waitFor(() => second.output().includes('holding'), 'the second holder to adopt the live session and hold it');
    expect(second.output()).toContain('adopted');
    expect(fs.readFileSync(runs, 'utf8').trim().split('\n')).toHaveLength(1);
    await tmux().kill(identity);
    expect(await second.exited).toBe(0);
  });

  it('SIGTERM tears the session down (kill-session, then kill-server) and exits 0', async () => {
    const h = hold(standin);
    await waitFor(() => h.output().includes('launched'), 'the launch');
    h.child.kill('SIGTERM');
    expect(await h.exited).toBe(0);
    expect(await tmux().isAlive(identity)).toBe(false);
    expect(fs.existsSync(sb.paths.tmuxSocket(identity))).toBe(false);
    expect(h.output()).toContain('teardown — stop signal');
  });

  it('exits 1 when the session dies within the recheck window (a runtime that cannot start)', async () => {
    const broken = writeProgram(path.join(sb.dir, 'broken-notifier'), 'echo "no token configured" >&2\nexit 3');
    const h = hold(broken);
    expect(await h.exited).toBe(1);
    expect(h.output()).toContain('died-at-boot');
  });

  it('exits 1 when the launch is refused (telegram needs a natural peer)', async () => {
    fs.writeFileSync(path.join(cwd, '.iapeer', 'peer-profile.json'), JSON.stringify({ personality: 'pager', intelligence: 'artificial' }));
    const out: string[] = [];
    const child = spawn(process.execPath, [CLI_BIN, 'run-infra', 'pager', 'telegram'], { cwd, env: { ...sb.env, TELEGRAM_RUNTIME_BIN: standin }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    child.stdout.setEncoding('utf8').on('data', (d: string) => out.push(d));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(out.join('')).toMatch(/launch-failed — runtime "telegram" requires intelligence=natural/);
  });

  it('refuses bad arguments with exit 2: a TUI runtime, an invalid name; and a folder of another peer with exit 1', async () => {
    const tui = hold(standin);
    tui.child.kill('SIGKILL');
    await tui.exited;
    await tmux().kill(identity);
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const c = spawn(process.execPath, [CLI_BIN, 'run-infra', ...args], { cwd, env: sb.env, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        c.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        c.once('exit', (code) => resolve({ code, stderr }));
      });
    const claude = await run(['pager', 'claude']);
    expect(claude.code).toBe(2);
    expect(claude.stderr).toContain('not an always-on (router) runtime');
    expect((await run(['Pager!', 'notifier'])).code).toBe(2);
    const other = await run(['someone', 'notifier']);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('belongs to peer "pager"');
    expect(await tmux().isAlive('notifier-someone')).toBe(false);
  });
});
