import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTmuxDriver } from './create-driver';
import { runningGroupMembers } from './process-group.spec-helpers';
import { escapeTmuxArg } from './run-tmux';

// Real tmux, one isolated server per identity under a throw-away sockDir (never the default server).
// libs may not import @iapeer/testing (layer rule), hence the small local poll helper.
async function until<T>(cond: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await cond();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iapt-'));
const sockDir = path.join(dir, 'socks');
const logDir = path.join(dir, 'logs');
const tmux = createTmuxDriver({ sockDir });
const spawned = new Set<string>();
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8' };

async function spawnSh(identity: string, script: string, extraEnv: Record<string, string> = {}) {
  spawned.add(identity);
  await tmux.spawn({ identity, cwd: dir, argv: ['sh', '-c', script], env: { ...env, ...extraEnv }, paneLog: path.join(logDir, `${identity}.log`) });
}

afterAll(async () => {
  for (const id of spawned) await tmux.kill(id);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('createTmuxDriver (real tmux)', () => {
  it('observe: the screen and the human clients in one call; its own control connection does not count', async () => {
    await spawnSh('claude-observed', 'echo "observed screen"; exec sleep 600');
    await until(async () => (await tmux.capture('claude-observed')).includes('observed screen'), 'the echo');
    const alone = await tmux.observe('claude-observed');
    expect(alone.screen).toContain('observed screen');
    expect(alone.screen).not.toContain('iap-observe');
    expect(alone.humans).toBe(0);
    // a human: a real terminal client (a pty from an outer tmux running `tmux attach`)
    const outer = path.join(dir, 'outer.sock');
    const envNoTmux = { ...process.env, TMUX: '' };
    execFileSync('tmux', ['-f', '/dev/null', '-S', outer, 'new-session', '-d', '-s', 'o', '-x', '100', '-y', '20', '--', 'tmux', '-S', tmux.socketOf('claude-observed'), 'attach', '-t', '=claude-observed'], { env: envNoTmux });
    try {
      const seen = await until(async () => {
        const o = await tmux.observe('claude-observed');
        return o.humans === 1 ? o : null;
      }, 'the attached client');
      expect(seen.screen).toContain('observed screen');
    } finally {
      execFileSync('tmux', ['-S', outer, 'kill-server'], { env: envNoTmux });
    }
    await until(async () => (await tmux.observe('claude-observed')).humans === 0, 'the client to leave');
  });

  it('spawns in cwd with the env, writes the identity ABI last, and pipes the pane to the log', async () => {
    // the caller's env is the session's (a peer's own CLAUDE_CODE_* from launch.env too)
    await spawnSh('claude-abi', 'echo "abi=$PEER_IDENTITY/$PEER_RUNTIME/$PEER_PERSONALITY foo=$FOO cc=$CLAUDE_CODE_OWN cwd=$(pwd)"; exec sleep 600', { FOO: 'bar', PEER_IDENTITY: 'evil-override', CLAUDE_CODE_OWN: 'kept' });
    const want = `abi=claude-abi/claude/abi foo=bar cc=kept cwd=${fs.realpathSync(dir)}`;
    await until(async () => (await tmux.capture('claude-abi')).includes(want), 'the echo in the pane');
    await until(() => fs.existsSync(path.join(logDir, 'claude-abi.log')) && fs.readFileSync(path.join(logDir, 'claude-abi.log'), 'utf8').includes(want), 'the pane log');
    expect(await tmux.isAlive('claude-abi')).toBe(true);
    expect(await tmux.inspect('claude-abi')).toMatchObject({ state: 'running' });
    const size = execFileSync('tmux', ['-S', tmux.socketOf('claude-abi'), 'display-message', '-p', '-t', '=claude-abi:0.0', '#{pane_width}x#{pane_height}'], { encoding: 'utf8' });
    expect(size.trim()).toBe('220x50');
  });

  it('keeps a crashed agent as a dead pane: not alive, exit status known, classified session-gone', async () => {
    await spawnSh('claude-crash', 'echo bye; exit 7');
    await until(async () => (await tmux.inspect('claude-crash')).state === 'dead', 'the pane to die');
    expect(await tmux.inspect('claude-crash')).toEqual({ state: 'dead', exitStatus: 7, exitSignal: null });
    expect(await tmux.isAlive('claude-crash')).toBe(false);
    expect(await tmux.classifyGone('claude-crash')).toBe('session-gone');
    expect(await tmux.listLive()).not.toContain('claude-crash');
  });

  it('pastes long, multi-line, quote- and semicolon-laden text intact through a named buffer', async () => {
    const out = path.join(dir, 'pasted.txt');
    await spawnSh('codex-paste', `stty raw -echo; cat > '${out}'`);
    await until(() => fs.existsSync(out), 'cat to start');
    const text = `first line; "double" 'single' \\back $HOME \`tick\` ;\nПривет 世界 ✓\n${'x'.repeat(16_000)}\nlast;`;
    await tmux.paste('codex-paste', text, { raw: true });
    await until(() => fs.readFileSync(out, 'utf8').length >= text.length, 'the paste to arrive');
    expect(fs.readFileSync(out, 'utf8')).toBe(text);
    const buffers = execFileSync('tmux', ['-S', tmux.socketOf('codex-paste'), 'list-buffers', '-F', '#{buffer_name}'], { encoding: 'utf8' });
    expect(buffers.trim()).toBe(''); // the named buffer was deleted
  });

  it('sends key names and literal strings ending in ";"', async () => {
    const out = path.join(dir, 'keys.txt');
    await spawnSh('codex-keys', `stty raw -echo; cat > '${out}'`);
    await until(() => fs.existsSync(out), 'cat to start');
    await tmux.sendKeys('codex-keys', ['a;', ';', 'Enter']);
    await until(() => fs.readFileSync(out, 'utf8') === 'a;;\r', 'the keys');
  });

  it('lists live identities: a socket counts only if its session name matches', async () => {
    await spawnSh('claude-live', 'exec sleep 600');
    // A tmux server on an iapeer-looking socket but with another session name.
    const foreign = path.join(sockDir, 'tmux-iap-claude-foreign.sock');
    execFileSync('tmux', ['-f', '/dev/null', '-S', foreign, 'new-session', '-d', '-s', 'other', 'sleep', '600']);
    fs.writeFileSync(path.join(sockDir, 'tmux-iap-claude-stale.sock'), ''); // a stale file, no server
    try {
      const live = await tmux.listLive();
      expect(live).toEqual(expect.arrayContaining(['claude-abi', 'claude-live']));
      expect(live).not.toContain('claude-foreign');
      expect(live).not.toContain('claude-stale');
      expect([...live].sort()).toEqual(live);
    } finally {
      execFileSync('tmux', ['-S', foreign, 'kill-server']);
      fs.rmSync(foreign, { force: true });
      fs.rmSync(path.join(sockDir, 'tmux-iap-claude-stale.sock'), { force: true });
    }
  });

  it('kills the last session with kill-server and removes the socket; absent is a no-op', async () => {
    await spawnSh('claude-kill', 'exec sleep 600');
    const socket = tmux.socketOf('claude-kill');
    expect(fs.existsSync(socket)).toBe(true);
    await tmux.kill('claude-kill');
    expect(fs.existsSync(socket)).toBe(false);
    expect(await tmux.isAlive('claude-kill')).toBe(false);
    expect(await tmux.classifyGone('claude-kill')).toBe('server-dead');
    await expect(tmux.kill('claude-kill')).resolves.toBeUndefined();
  });

  it('kill also ends an agent that survives SIGHUP (as Claude Code does): its process group gets SIGTERM', async () => {
    await spawnSh('claude-hupproof', 'trap "" HUP; echo started; while :; do sleep 1; done');
    await until(async () => (await tmux.capture('claude-hupproof')).includes('started'), 'the HUP-proof agent to start');
    const st = await tmux.inspect('claude-hupproof');
    const pid = st.state === 'running' ? st.pid! : -1;
    expect(pid).toBeGreaterThan(0);
    await tmux.kill('claude-hupproof');
    // no member runs (ps: a zombie the container's init has not reaped yet is gone)
    expect(runningGroupMembers(pid)).toEqual([]);
    expect(await tmux.isAlive('claude-hupproof')).toBe(false);
  });

  it('kill of an agent that ignores SIGTERM too (Claude Code during its grace period) ends its whole group: SIGKILL after the grace', async () => {
    // one process, as claude is (a shell loop would leave its sleep to be reaped by init)
    await spawnSh('claude-termproof', 'trap "" HUP TERM; echo started; exec sleep 600');
    await until(async () => (await tmux.capture('claude-termproof')).includes('started'), 'the TERM-proof agent to start');
    const st = await tmux.inspect('claude-termproof');
    const pid = st.state === 'running' ? st.pid! : -1;
    // how long it takes (~0.45 s idle) is measured in docs/notes/tmux-control.md, not asserted here
    await tmux.kill('claude-termproof');
    expect(runningGroupMembers(pid)).toEqual([]); // the whole group is gone (SIGKILL after the grace)
  });

  it('surfaces tmux stderr in a TMUX_FAILED error', async () => {
    await spawnSh('claude-dup', 'exec sleep 600');
    const err = await tmux.spawn({ identity: 'claude-dup', cwd: dir, argv: ['true'], env, paneLog: path.join(logDir, 'x.log') }).catch((e) => e);
    expect(err.code).toBe('TMUX_FAILED');
    expect(err.message).toMatch(/tmux start-server failed: .*duplicate session: claude-dup/);
    const err2 = await tmux.sendKeys('claude-nosuch', ['Enter']).catch((e) => e);
    expect(err2.code).toBe('TMUX_FAILED');
    expect(err2.message).toMatch(/tmux send-keys failed: (error connecting to|no server running on) /);
  });

  it('refuses a socket path over the Unix limit and says how to fix it', async () => {
    const deep = createTmuxDriver({ sockDir: path.join(dir, 'a'.repeat(90)) });
    const err = await deep.isAlive('claude-x').catch((e) => e);
    expect(err.code).toBe('TMUX_SOCKET_PATH_TOO_LONG');
    expect(err.message).toMatch(/over the 107-byte Unix socket limit.*Set IAPEER_SOCK_DIR/);
  });

  it('refuses a spawn of something that is not an identity', async () => {
    const err = await tmux.spawn({ identity: 'Bad Name', cwd: dir, argv: ['true'], env, paneLog: path.join(logDir, 'y.log') }).catch((e) => e);
    expect(err.code).toBe('INVALID_INPUT');
  });
});

describe('escapeTmuxArg', () => {
  it.each([
    ['a;', 'a\\;'],
    [';', '\\;'],
    ['a\\;', 'a\\\\;'],
    ['plain', 'plain'],
  ])('%s → %s', (input, out) => expect(escapeTmuxArg(input)).toBe(out));
});

describe('paste into an exited agent', () => {
  it('refuses with SESSION_NOT_LIVE and leaves the server running (paste-buffer on a dead pane would crash tmux 3.3a)', async () => {
    await spawnSh('claude-deadpaste', 'exit 4');
    await until(async () => (await tmux.inspect('claude-deadpaste')).state === 'dead', 'the pane to die');
    const err = await tmux.paste('claude-deadpaste', 'hello').catch((e) => e);
    expect(err.code).toBe('SESSION_NOT_LIVE');
    expect(await tmux.inspect('claude-deadpaste')).toMatchObject({ state: 'dead', exitStatus: 4 });
    expect(await tmux.classifyGone('claude-deadpaste')).toBe('session-gone');
  });
});
