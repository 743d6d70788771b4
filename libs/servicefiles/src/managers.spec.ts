import type { CommandResult, CommandRunner } from './command-runner';
import { createServiceManager } from './create-manager';
import { makeTempRoot, type TempRoot } from './fixtures.spec-helpers';
import { createLaunchdManager } from './launchd-manager';
import { assertSandboxTargetDir, readServiceManagerJournal, serviceManagerJournalPath } from './sandbox-manager';
import { createSystemdManager } from './systemd-manager';

// The real managers' decisions, driven through the CommandRunner seam: launchctl and
// systemctl are never run by tests. `script` answers each argv with a canned result.
function scriptedRunner(answer: (argv: string[]) => Partial<CommandResult>): { run: CommandRunner; calls: string[] } {
  const calls: string[] = [];
  const run: CommandRunner = async (argv) => {
    calls.push(argv.join(' '));
    return { code: 0, stdout: '', stderr: '', ...answer([...argv]) };
  };
  return { run, calls };
}

const job = { label: 'com.iapeer.registry', file: '/la/com.iapeer.registry.plist' };

describe('launchd manager', () => {
  const clock = () => {
    let t = 0;
    return { now: () => t, sleep: async (ms: number) => void (t += ms) };
  };

  it('bootstraps a job that is not listed', async () => {
    const { run, calls } = scriptedRunner((a) => (a[1] === 'print' ? { code: 113 } : {}));
    const m = createLaunchdManager({ run, uid: () => 501, ...clock() });
    expect(await m.start(job, { changed: true })).toEqual({ outcome: 'loaded' });
    expect(calls).toEqual(['launchctl print gui/501/com.iapeer.registry', 'launchctl bootstrap gui/501 /la/com.iapeer.registry.plist']);
  });

  it('leaves a listed job with an unchanged plist alone', async () => {
    const { run, calls } = scriptedRunner(() => ({}));
    const m = createLaunchdManager({ run, uid: () => 501, ...clock() });
    expect(await m.start(job, { changed: false })).toEqual({ outcome: 'already-loaded' });
    expect(calls).toEqual(['launchctl print gui/501/com.iapeer.registry']);
  });

  it('restarts a changed job as bootout then bootstrap, never kickstart', async () => {
    let listed = true;
    const { run, calls } = scriptedRunner((a) => {
      if (a[1] === 'bootout') listed = false;
      if (a[1] === 'bootstrap') listed = true;
      return a[1] === 'print' ? { code: listed ? 0 : 113 } : {};
    });
    const m = createLaunchdManager({ run, uid: () => 501, ...clock() });
    expect(await m.start(job, { changed: true })).toEqual({ outcome: 'restarted' });
    expect(calls.filter((c) => !c.includes(' print '))).toEqual(['launchctl bootout gui/501/com.iapeer.registry', 'launchctl bootstrap gui/501 /la/com.iapeer.registry.plist']);
    expect(calls.join('\n')).not.toContain('kickstart');
  });

  it('retries bootstrap with back-off 0/2/5/15 s and then names the manual rescue', async () => {
    const c = clock();
    const sleeps: number[] = [];
    const { run, calls } = scriptedRunner((a) => (a[1] === 'print' ? { code: 113 } : a[1] === 'bootstrap' ? { code: 5, stderr: 'Bootstrap failed: 5: Input/output error' } : {}));
    const m = createLaunchdManager({ run, uid: () => 501, now: c.now, sleep: async (ms) => (sleeps.push(ms), c.sleep(ms)) });
    const res = await m.start(job, { changed: false });
    expect(res.outcome).toBe('failed');
    expect(res.detail).toMatch(/Input\/output error; manual rescue: `launchctl bootstrap gui\/501/);
    expect(calls.filter((x) => x.includes('bootstrap'))).toHaveLength(4);
    expect(sleeps).toEqual([2000, 5000, 15000]);
  });

  it('refuses to aim launchctl at uid 0 or an unknown uid', async () => {
    const { run, calls } = scriptedRunner(() => ({}));
    await expect(createLaunchdManager({ run, uid: () => 0, ...clock() }).start(job, { changed: false })).rejects.toThrow(/uid 0/);
    await expect(createLaunchdManager({ run, uid: () => undefined, ...clock() }).query(job)).rejects.toThrow(/uid unknown/);
    expect(calls).toEqual([]);
  });

  it('reads running / loaded / not-loaded from launchctl print and unloads with bootout', async () => {
    let out: Partial<CommandResult> = { stdout: 'com.iapeer.registry = {\n\tstate = running\n}' };
    const { run } = scriptedRunner(() => out);
    const m = createLaunchdManager({ run, uid: () => 501, ...clock() });
    expect(await m.query(job)).toBe('running');
    out = { stdout: '\tstate = not running\n' };
    expect(await m.query(job)).toBe('loaded');
    out = { code: 113 };
    expect(await m.query(job)).toBe('not-loaded');
    expect(await m.stop(job)).toEqual({ outcome: 'not-loaded' });
  });
});

describe('systemd manager', () => {
  const unit = { label: 'iapeer-registry.service', file: '/u/iapeer-registry.service' };

  it('daemon-reload, enable --now for a new or unchanged unit', async () => {
    const { run, calls } = scriptedRunner((a) => (a[2] === 'is-active' ? { code: 3, stdout: 'inactive\n' } : {}));
    const m = createSystemdManager({ run });
    expect(await m.reload()).toEqual({ outcome: 'reloaded' });
    expect(await m.start(unit, { changed: true })).toEqual({ outcome: 'loaded' });
    expect(await m.start(unit, { changed: false })).toEqual({ outcome: 'loaded' });
    expect(calls).toEqual([
      'systemctl --user daemon-reload',
      'systemctl --user is-active iapeer-registry.service',
      'systemctl --user enable --now iapeer-registry.service',
      'systemctl --user enable --now iapeer-registry.service',
    ]);
  });

  it('restarts a running unit whose file changed (enable --now would not)', async () => {
    const { run, calls } = scriptedRunner((a) => (a[2] === 'is-active' ? { stdout: 'active\n' } : {}));
    expect(await createSystemdManager({ run }).start(unit, { changed: true })).toEqual({ outcome: 'restarted' });
    expect(calls.slice(1)).toEqual(['systemctl --user enable iapeer-registry.service', 'systemctl --user restart iapeer-registry.service']);
  });

  it('reports failures with the command and its stderr; disable --now stops', async () => {
    const { run } = scriptedRunner((a) => (a[2] === 'enable' ? { code: 1, stderr: 'Failed to connect to bus' } : {}));
    const m = createSystemdManager({ run });
    expect(await m.start(unit, { changed: false })).toEqual({ outcome: 'failed', detail: '`systemctl --user enable --now iapeer-registry.service` exited 1: Failed to connect to bus' });
    expect(await m.stop(unit)).toEqual({ outcome: 'unloaded' });
  });

  it('maps is-active words, and a missing systemctl to unknown', async () => {
    const { run } = scriptedRunner(() => ({ code: 3, stdout: 'failed\n' }));
    expect(await createSystemdManager({ run }).query(unit)).toBe('failed');
    const missing: CommandRunner = async () => ({ code: null, stdout: '', stderr: '', spawnError: 'spawn systemctl ENOENT' });
    expect(await createSystemdManager({ run: missing }).query(unit)).toBe('unknown');
  });
});

describe('the sandbox manager (IAPEER_TEST_SANDBOX=1)', () => {
  let sb: TempRoot;
  beforeEach(() => (sb = makeTempRoot()));
  afterEach(() => sb.cleanup());

  it.each(['darwin', 'linux'] as const)('records every %s call with its argv and runs nothing', async (platform) => {
    const { run, calls } = scriptedRunner(() => ({}));
    const m = createServiceManager({ platform, env: sb.env, paths: sb.paths, run, uid: () => 501 });
    expect(m.sandboxed).toBe(true);
    const j = platform === 'darwin' ? job : { label: 'iapeer-registry.service', file: '/u/iapeer-registry.service' };
    await m.reload();
    expect(await m.start(j, { changed: true })).toEqual({ outcome: 'skipped-sandbox' });
    expect(await m.query(j)).toBe('skipped-sandbox');
    expect(await m.stop(j)).toEqual({ outcome: 'skipped-sandbox' });
    expect(calls).toEqual([]);
    const journal = readServiceManagerJournal(serviceManagerJournalPath(sb.paths));
    expect(journal.map((e) => [e.manager, e.action, e.state])).toEqual(['reload', 'start', 'query', 'stop'].map((a) => [m.kind, a, 'skipped-sandbox']));
    const start = journal[1].argv.map((a) => a.join(' '));
    if (platform === 'darwin') expect(start).toContain('launchctl bootstrap gui/501 /la/com.iapeer.registry.plist');
    else expect(start).toContain('systemctl --user restart iapeer-registry.service');
  });

  it('refuses to write service files to the default directory under the sandbox', () => {
    expect(() => assertSandboxTargetDir({ ...sb.env, IAPEER_SYSTEMD_USER_DIR: undefined }, 'linux')).toThrow(expect.objectContaining({ code: 'SANDBOX_REFUSED' }));
    expect(() => assertSandboxTargetDir(sb.env, 'darwin')).not.toThrow();
  });
});
