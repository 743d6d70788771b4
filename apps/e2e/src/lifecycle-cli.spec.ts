import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI_BIN, readFakeTranscript, waitFor } from '@iapeer/testing';
import { fakeMessages, field, linesWith, startLifecycleWorld, type LifecycleWorld } from './support/lifecycle-world';

// The operator verbs of docs/behaviour.md §10 end to end over the real services and tmux:
// list (● ○ ✕), stop/start (one peer and --all), refresh, new, and attach — attach both
// without a terminal (refused, nothing woken) and in a real terminal (a tmux pane of a
// separate test server), where it wakes with resume, attaches, and returns on detach.
describe('iapeer list / stop / start / refresh / new / attach (real services, real tmux)', () => {
  let w: LifecycleWorld;
  let gusCwd: string;
  const GUS = 'fake-gus';
  let outerSock: string;
  let outerSeq = 0;

  const send = (to: string, message: string) => w.cli(['send', to, '--from', 'fake-alice', '--message', message, '--topic', 'audit']);
  const statuses = async () => {
    const rows = JSON.parse((await w.cli(['list', '--json'])).stdout) as Array<{ personality: string; runtimes: Array<{ status: string }> }>;
    return Object.fromEntries(rows.map((r) => [r.personality, r.runtimes[0].status]));
  };
  const resumes = () => readFakeTranscript(gusCwd).filter((r) => r.type === 'resume').length;

  /** Runs `iapeer <args>` in a pane of a separate tmux server (a real terminal); returns the pane name. */
  function runInTerminal(args: string[]): string {
    const name = `term${++outerSeq}`;
    const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI_BIN)} ${args.join(' ')}; echo "EXIT=$?"`;
    execFileSync('tmux', ['-S', outerSock, '-f', '/dev/null', 'start-server', ';', 'set-option', '-g', 'remain-on-exit', 'on', ';', 'new-session', '-d', '-s', name, '-x', '150', '-y', '40', cmd], { env: w.sb.env });
    return name;
  }
  // with scrollback: a detached pane may scroll its first rows into history (tmux 3.3a)
  const screen = (name: string) => execFileSync('tmux', ['-S', outerSock, 'capture-pane', '-p', '-S', '-200', '-t', `=${name}:0.0`], { encoding: 'utf8' });

  beforeAll(async () => {
    w = await startLifecycleWorld();
    outerSock = path.join(w.sb.dir, 'term.sock');
    await w.createPeer('alice');
    gusCwd = await w.createPeer('gus');
    await w.createPeer('hal');
  });
  afterAll(async () => {
    if (fs.existsSync(outerSock)) execFileSync('tmux', ['-S', outerSock, 'kill-server']);
    await w.close();
  });

  it('list: ○ asleep, ● live, ✕ stopped (table and --json)', async () => {
    expect(await statuses()).toEqual({ alice: 'asleep', gus: 'asleep', hal: 'asleep' });
    expect((await send('gus', 'audit the ledger')).code).toBe(0);
    expect((await w.cli(['stop', 'hal'])).stdout.trim()).toBe('hal (fake): stopped');
    const table = (await w.cli(['list'])).stdout;
    expect(table).toMatch(/^alice\s+\[fake\]\s+artificial\s+○ fake$/m);
    expect(table).toMatch(/^gus\s+\[fake\]\s+artificial\s+● fake ready\s+last-active:fake$/m); // a live session shows its activity (§6.4)
    expect(table).toMatch(/^hal\s+\[fake\]\s+artificial\s+✕ fake$/m);
    expect(await statuses()).toEqual({ alice: 'asleep', gus: 'live', hal: 'stopped' });
  });

  it('stop --all / start --all: one row per peer, every session down, then every stop lifted', async () => {
    const stop = await w.cli(['stop', '--all']);
    expect(stop.code).toBe(0);
    expect(stop.stdout.trim().split('\n').sort()).toEqual(['alice (fake): stopped', 'gus (fake): stopped', 'hal (fake): stopped']);
    expect(await w.tmux.listLive()).toEqual([]);
    expect(await statuses()).toEqual({ alice: 'stopped', gus: 'stopped', hal: 'stopped' });
    const start = await w.cli(['start', '--all']);
    expect(start.stdout.trim().split('\n').sort()).toEqual(['alice (fake): started', 'gus (fake): started', 'hal (fake): started']);
    expect(await statuses()).toEqual({ alice: 'asleep', gus: 'asleep', hal: 'asleep' });
  });

  it('refresh: the parked gus would resume on its topic, but comes up fresh (soft-reload)', async () => {
    expect(w.markers(GUS)).toContain('idle-reaped'); // stop parked it: a plain wake on "audit" would resume
    const r = await w.cli(['refresh', 'gus']);
    expect(r.stdout.trim()).toBe('gus (fake): fresh on next wake');
    expect(w.markers(GUS)).toContain('fresh-next');
    expect((await send('gus', 'after the refresh')).code).toBe(0);
    expect(resumes()).toBe(0);
    expect(w.markers(GUS)).toEqual(['session', 'topic']); // .fresh-next and the park consumed
  });

  it('new: kills the live session and launches a fresh one; exit 0 only when READY', async () => {
    const before = await w.tmux.inspect(GUS);
    expect(before.state).toBe('running');
    const r = await w.cli(['new', 'gus']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('launched fake-gus (fresh)');
    const after = await w.tmux.inspect(GUS);
    expect(after).toMatchObject({ state: 'running' });
    expect((after as { pid: number }).pid).not.toBe((before as { pid: number }).pid);
    expect(resumes()).toBe(0);
    expect(w.markers(GUS)).toEqual(['session']); // a fresh session starts with no topic
  });

  it('refuses bad invocations clearly and changes nothing', async () => {
    const none = await w.cli(['stop']);
    expect([none.code, none.stderr]).toEqual([2, expect.stringContaining('stop: name a peer or pass --all (not both)')]);
    const both = await w.cli(['start', 'gus', '--all']);
    expect(both.code).toBe(2);
    const ghost = await w.cli(['new', 'nobody']);
    expect(ghost.code).toBe(1);
    expect(ghost.stderr).toMatch(/nobody/);
    const rt = await w.cli(['stop', 'gus', 'nosuch']);
    expect(rt.code).toBe(1);
    expect(rt.stderr).toContain('runtime "nosuch" is not declared for "gus"');
    expect(await w.tmux.isAlive(GUS)).toBe(true);
    expect(w.markers(GUS)).toEqual(['session']);
  });

  it('attach without a terminal is refused before any wake, naming the tmux command to use', async () => {
    await w.cli(['stop', 'gus']);
    await w.cli(['start', 'gus']);
    const r = await w.cli(['attach', 'gus']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('attach: needs a terminal (stdin is not a TTY); nothing was woken');
    expect(r.stderr).toContain(`tmux -S ${w.sb.paths.tmuxSocket(GUS)} attach -t =${GUS}`);
    expect(await w.tmux.isAlive(GUS)).toBe(false);
    expect(w.markers(GUS)).toContain('idle-reaped'); // the park was not consumed
  });

  it('attach in a terminal wakes the parked peer with resume, shows its screen, and exits 0 on detach', async () => {
    const term = runInTerminal(['attach', 'gus']);
    const shown = await waitFor(() => {
      const s = screen(term);
      return /Resumed \d+ messages/.test(s) && s.includes('❯') ? s : undefined;
    }, 'the resumed fake agent on the attached terminal', 20_000);
    expect(shown).toContain('Fake agent (iapeer test double)');
    expect(resumes()).toBe(1);
    execFileSync('tmux', ['-S', w.sb.paths.tmuxSocket(GUS), 'detach-client', '-s', `=${GUS}`]);
    const after = await waitFor(() => (screen(term).includes('EXIT=') ? screen(term) : undefined), 'attach to return after the detach');
    expect(after).toContain('woke + attaching fake-gus…');
    expect(after).toContain('EXIT=0');
    expect(await w.tmux.isAlive(GUS)).toBe(true); // detaching leaves the session running
    expect(fakeMessages(gusCwd).length).toBeGreaterThan(0);
  });

  it('attach in a terminal to a peer that never ran fails loudly: nothing to resume, never a silent fresh start', async () => {
    await w.cli(['start', 'hal']);
    const term = runInTerminal(['attach', 'hal']);
    const s = await waitFor(() => (screen(term).includes('EXIT=') ? screen(term) : undefined), 'attach hal to fail');
    expect(s).toContain('EXIT=1');
    expect(s.replace(/\s+/g, ' ')).toContain('attach: nothing to resume');
    expect(await w.tmux.isAlive('fake-hal')).toBe(false);
  });

  it('lifecycle.log: soft-reload, the new launch, the attach resume and its refusal', async () => {
    const lines = await w.waitLifecycle((all) => (linesWith(all, { ev: 'wake', origin: 'attach', mode: 'fail' }).length ? all : undefined), 'the failed attach of hal');
    expect(linesWith(lines, { ev: 'wake', identity: GUS, mode: 'fresh', cause: 'soft-reload', outcome: 'ready' })).toHaveLength(1);
    expect(linesWith(lines, { ev: 'wake', identity: GUS, origin: 'new', mode: 'fresh', outcome: 'ready' })).toHaveLength(1);
    expect(linesWith(lines, { ev: 'wake', identity: GUS, origin: 'attach', mode: 'resume', cause: 'attach', outcome: 'ready' })).toHaveLength(1);
    const fail = linesWith(lines, { ev: 'wake', identity: 'fake-hal', origin: 'attach', mode: 'fail' })[0];
    expect(field(fail, 'cause')).toBe('attach-nothing-to-resume');
  });
});
