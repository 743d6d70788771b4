import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { CLI_BIN, DIST, makeSandbox, runCli, TestStack, waitFor, type Sandbox } from '@iapeer/testing';

// docs/behaviour.md: a closed stdout ends any verb quietly with exit 0; a taken MCP port is
// reported by `up` at once (the port, the holder when it is another iapeer root, IAPEER_PORT).
describe('the CLI under a closed pipe and a taken port (real services, real processes)', () => {
  let a: Sandbox;
  let stack: TestStack;
  let port: number;
  const others: Sandbox[] = [];

  beforeAll(async () => {
    a = makeSandbox();
    stack = new TestStack(a);
    await stack.start();
    for (const name of ['p1', 'p2', 'p3']) {
      const dir = path.join(a.dir, 'folders', name);
      fs.mkdirSync(dir, { recursive: true });
      expect((await runCli(['init', '--runtime', 'claude'], a.env, { cwd: dir })).code).toBe(0);
    }
    port = Number(new URL((JSON.parse(fs.readFileSync(a.paths.routerJson, 'utf8')) as { tcp: string }).tcp).port);
  }, 60_000);

  afterAll(async () => {
    await stack.stop();
    a.cleanup();
    for (const sb of others) {
      await runCli(['down'], sb.env).catch(() => undefined); // nothing should be up; a failed run may leave a keeper
      sb.cleanup();
    }
  });

  it('`iapeer list | head -1`: the first row, exit 0, no stack trace', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI_BIN}" list | head -1; echo "rc=\${PIPESTATUS[0]}" >&2`], { env: a.env, encoding: 'utf8', timeout: 30_000 });
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(/^p1\s/);
    expect(r.stderr).toBe('rc=0\n');
  });

  it('a reader that is gone before the first write (EPIPE for certain): exit 0, nothing on stderr', async () => {
    const child = spawn(process.execPath, [CLI_BIN, 'list'], { env: a.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // our end of the pipe closes: the CLI's first write gets EPIPE
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  /** Spawns `iapeer up` in another root and polls until it ends (never a fixed sleep). */
  async function upOnTakenPort(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
    const child = spawn(process.execPath, [CLI_BIN, 'up'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let code: number | null | undefined;
    child.once('exit', (c) => (code = c));
    // 2 s is the promise; the deadline is generous for a loaded machine, still far below the old 20 s of retries
    await waitFor(() => code !== undefined, '`iapeer up` to end on a taken port', 8000);
    return { code: code ?? null, stderr };
  }

  it('`up` while another root\'s router holds the port: exit 1 at once, naming the port, that root and IAPEER_PORT', async () => {
    const b = makeSandbox({ IAPEER_PORT: String(port) });
    others.push(b);
    const r = await upOnTakenPort(b.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('iapeer up: [PORT_IN_USE]');
    expect(r.stderr).toContain(`127.0.0.1:${port}`);
    expect(r.stderr).toContain(`the iapeer router of another root, ${a.root}`);
    expect(r.stderr).toContain('IAPEER_PORT');
    expect(r.stderr).not.toContain('did not become healthy');
    expect(fs.existsSync(path.join(b.paths.serviceStateDir, 'up.json'))).toBe(false); // no keeper was left behind
  });

  it('`up` while a foreign process holds the port: exit 1, "not an iapeer router", IAPEER_PORT', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const taken = (holder.address() as net.AddressInfo).port;
    try {
      const b = makeSandbox({ IAPEER_PORT: String(taken) });
      others.push(b);
      const r = await upOnTakenPort(b.env);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`127.0.0.1:${taken} is in use by another process (not an iapeer router)`);
      expect(r.stderr).toContain('IAPEER_PORT');
    } finally {
      holder.close();
    }
  });

  it('the router itself, started on a taken port, exits 78 (no restart) with a PORT_IN_USE line naming the holder', async () => {
    const b = makeSandbox({ IAPEER_PORT: String(port) });
    others.push(b);
    const child = spawn(process.execPath, [path.join(DIST, 'router', 'main.js')], { env: b.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let code: number | null | undefined;
    child.once('exit', (c) => (code = c));
    await waitFor(() => code !== undefined, 'the router to exit on a taken port', 15_000);
    expect(code).toBe(78);
    expect(stderr).toContain(`iapeer router: failed to start: [PORT_IN_USE] the MCP port 127.0.0.1:${port} is in use by the iapeer router of another root, ${a.root}`);
  });
});
