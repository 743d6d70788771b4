import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTmuxDriver } from './create-driver';
import type { ControlFallback } from './control-pool';

// Real tmux: the control connection the driver keeps per identity (tmux -C attach).
async function until<T>(cond: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await cond();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iapc-'));
const sockDir = path.join(dir, 'socks');
const fallbacks: ControlFallback[] = [];
const tmux = createTmuxDriver({ sockDir, onFallback: (f) => fallbacks.push(f) });
const spawned = new Set<string>();
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8' };
const serverPid = (id: string) => Number(execFileSync('tmux', ['-S', tmux.socketOf(id), 'display-message', '-p', '#{pid}'], { encoding: 'utf8' }).trim());

async function spawnSh(identity: string, script: string) {
  spawned.add(identity);
  await tmux.spawn({ identity, cwd: dir, argv: ['sh', '-c', script], env, paneLog: path.join(dir, 'logs', `${identity}.log`) });
}

afterAll(async () => {
  for (const id of spawned) await tmux.kill(id);
  await tmux.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('tmux control connection (real tmux)', () => {
  it('answers many commands over one client, concurrently and in order, without resizing the window', async () => {
    await spawnSh('claude-ctl', 'exec sleep 600');
    const before = tmux.controlStats();
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => tmux.capture('claude-ctl').then(() => tmux.inspect('claude-ctl')).then((s) => `${i}:${s.state}`)));
    expect(replies).toEqual(Array.from({ length: 50 }, (_, i) => `${i}:running`));
    for (let i = 0; i < 200; i++) expect(await tmux.isAlive('claude-ctl')).toBe(true);
    const after = tmux.controlStats();
    expect(after.opened - before.opened).toBe(1); // one client for all of it: no spawn per call
    expect(after.fallbacks).toBe(0);
    const size = execFileSync('tmux', ['-S', tmux.socketOf('claude-ctl'), 'display-message', '-p', '-t', '=claude-ctl:0.0', '#{window_width}x#{window_height} #{session_attached}'], { encoding: 'utf8' });
    expect(size.trim()).toBe('220x50 1'); // attached (our client), size untouched (ignore-size)
  });

  it('pastes byte-exact over the connection: quotes, ";", "$", backslashes, unicode, newlines, 16 000 chars', async () => {
    const out = path.join(dir, 'ctl-pasted.txt');
    await spawnSh('codex-ctlpaste', `stty raw -echo; cat > '${out}'`);
    const text = `a;b ; c\\; "dq" 'sq' $HOME \${X} ~ #{pane_id} # %if {x} é中文😀 \\n end;\n${'x'.repeat(16_000)}\nlast line;`;
    await tmux.paste('codex-ctlpaste', text, { raw: true });
    await until(() => fs.existsSync(out) && fs.readFileSync(out, 'utf8').length >= text.length, 'the paste in the file');
    // bracketed-paste markers are only added when the app asks for them (cat does not)
    expect(fs.readFileSync(out, 'utf8')).toBe(text);
    expect(tmux.controlStats().fallbacks).toBe(0);
  });

  it('streams %output to listeners only while subscribed', async () => {
    await spawnSh('claude-echo', 'while read l; do echo "got:$l"; done');
    const seen: string[] = [];
    const off = await tmux.onOutput('claude-echo', (d) => seen.push(d.toString('utf8')));
    expect(off).not.toBeNull();
    await tmux.sendKeys('claude-echo', ['ping-é', 'Enter']);
    await until(() => seen.join('').includes('got:ping-é'), 'the echo as %output');
    off!();
    const n = seen.length;
    await tmux.sendKeys('claude-echo', ['after', 'Enter']);
    await until(async () => (await tmux.capture('claude-echo')).includes('got:after'), 'the second echo on screen');
    expect(seen.length).toBe(n);
  });

  it('sees a dead pane without spawning: the pid check', async () => {
    await spawnSh('claude-dies', 'read l; exit 4');
    expect(await tmux.isAlive('claude-dies')).toBe(true);
    const opened = tmux.controlStats().opened;
    await tmux.sendKeys('claude-dies', ['Enter']);
    await until(async () => !(await tmux.isAlive('claude-dies')), 'the pane to die');
    // the pid check sees the exit (a zombie) a moment before tmux has reaped it and marked
    // the pane dead with its status: tmux's own view follows
    await until(async () => JSON.stringify(await tmux.inspect('claude-dies')) === JSON.stringify({ state: 'dead', exitStatus: 4, exitSignal: null }), 'tmux to record the exit status');
    expect(tmux.controlStats().opened).toBe(opened);
  });

  it('a server killed under an open connection: calls tell the truth, nothing hangs, the next session re-opens', async () => {
    await spawnSh('claude-victim', 'exec sleep 600');
    expect(await tmux.isAlive('claude-victim')).toBe(true);
    const pending = tmux.capture('claude-victim');
    process.kill(serverPid('claude-victim'), 'SIGKILL');
    await pending.catch(() => undefined); // raced the kill: either answer is fine, it must settle
    expect(await tmux.isAlive('claude-victim')).toBe(false);
    await expect(tmux.paste('claude-victim', 'hello')).rejects.toThrow(/no server running|error connecting|connection refused|control connection|ended during/i);
    await expect(tmux.sendKeys('claude-victim', ['Enter'])).rejects.toThrow();
    expect(await tmux.classifyGone('claude-victim')).toBe('server-dead');
    // a new session on the same socket gets a fresh connection
    await tmux.kill('claude-victim');
    await spawnSh('claude-victim', 'exec sleep 600');
    const opened = tmux.controlStats().opened;
    expect(await tmux.isAlive('claude-victim')).toBe(true);
    expect(await tmux.capture('claude-victim')).toBeDefined();
    expect(tmux.controlStats().opened).toBe(opened + 1);
  });

  it('a control client killed under the driver: one call falls back to spawning tmux (counted), then it re-opens', async () => {
    await spawnSh('claude-cut', 'exec sleep 600');
    expect(await tmux.isAlive('claude-cut')).toBe(true);
    const clients = execFileSync('tmux', ['-S', tmux.socketOf('claude-cut'), 'list-clients', '-F', '#{client_pid} #{client_flags}'], { encoding: 'utf8' });
    const pid = Number(clients.split('\n').find((l) => l.includes('control-mode'))!.split(' ')[0]);
    const before = tmux.controlStats();
    const capture = tmux.capture('claude-cut');
    process.kill(pid, 'SIGKILL');
    await expect(capture).resolves.toBeDefined(); // the capture is idempotent: retried by spawning tmux
    expect(await tmux.isAlive('claude-cut')).toBe(true);
    await tmux.capture('claude-cut');
    const after = tmux.controlStats();
    expect(after.fallbacks).toBeLessThanOrEqual(before.fallbacks + 1);
    expect(after.opened).toBe(before.opened + 1);
    if (after.fallbacks > before.fallbacks) expect(fallbacks.at(-1)).toMatchObject({ identity: 'claude-cut', op: 'capture' });
  });
});
