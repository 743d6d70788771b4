import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { lintUnit, readServiceManagerJournal, serviceManagerJournalPath, unitValues } from '@iapeer/servicefiles';
import { createTmuxDriver } from '@iapeer/tmux';
import { CLI_BIN, makeSandbox, runCli, TestStack, waitFor, type Sandbox } from '@iapeer/testing';

// Always-on (infra) peers across the CLI, the supervisor and the host service manager
// (a recorded no-op in the sandbox): create writes the peer's own unit, the supervisor
// never wakes or reaps it, stop/start act through the manager, a foreign job at the
// label is refused, remove deletes ours. This host is Linux: systemd user units.
describe('always-on peers: their own job, stop/start through the service manager, the fleet guard', () => {
  let sb: Sandbox;
  let stack: TestStack;
  let standin: string;
  const holders: ChildProcess[] = [];
  const unitFile = (p: string) => path.join(sb.paths.systemdUserDir, `iapeer-peer-${p}.service`);
  const journal = () => readServiceManagerJournal(serviceManagerJournalPath(sb.paths));
  const tmux = () => createTmuxDriver({ sockDir: sb.paths.sockDir, baseEnv: sb.env });

  beforeAll(async () => {
    sb = makeSandbox({ IAPEER_SUPERVISE_INTERVAL_MS: '3600000' });
    standin = path.join(sb.dir, 'notifier-standin');
    fs.writeFileSync(standin, '#!/bin/sh\nexec sleep 600\n', { mode: 0o755 });
    sb.env.NOTIFIER_RUNTIME_BIN = standin;
    stack = new TestStack(sb);
    await stack.start(['logd', 'registry', 'supervisor']);
  });

  afterAll(async () => {
    for (const h of holders) if (h.exitCode === null && h.signalCode === null) h.kill('SIGKILL');
    await tmux().kill('notifier-pager');
    await stack.stop();
    sb.cleanup();
  });

  it('create --runtime notifier writes the peer\'s own unit and starts it through the manager', async () => {
    const r = await runCli(['create', 'pager', '--runtime', 'notifier', '--description', 'pages the on-call'], sb.env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`always-on job iapeer-peer-pager.service: written (${unitFile('pager')}); start: skipped-sandbox`);
    const unit = lintUnit(fs.readFileSync(unitFile('pager'), 'utf8'));
    const exec = unitValues(unit, 'Service', 'ExecStart')[0];
    expect(exec).toMatch(/ run-infra pager notifier$/);
    expect(exec.split(' ')[0]).toBe(process.execPath);
    expect(unitValues(unit, 'Service', 'WorkingDirectory')).toEqual([path.join(sb.paths.peersDir, 'pager')]);
    expect(unitValues(unit, 'Service', 'Environment')).toEqual(expect.arrayContaining([`"NOTIFIER_RUNTIME_BIN=${standin}"`, '"PEER_IDENTITY=notifier-pager"', `"IAPEER_ROOT=${sb.root}"`]));
    expect(unitValues(unit, 'Unit', 'X-IapeerManaged')).toEqual(['true']);
    expect(journal().map((e) => [e.action, e.label, e.changed])).toEqual([['reload', undefined, undefined], ['start', 'iapeer-peer-pager.service', true]]);
  });

  it('init again in its folder leaves an unchanged unit alone and still asks the manager to start it', async () => {
    const before = fs.statSync(unitFile('pager')).mtimeMs;
    const r = await runCli(['init', path.join(sb.paths.peersDir, 'pager')], sb.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('always-on job iapeer-peer-pager.service: unchanged');
    expect(fs.statSync(unitFile('pager')).mtimeMs).toBe(before);
    expect(journal().at(-1)).toMatchObject({ action: 'start', label: 'iapeer-peer-pager.service', changed: false });
  });

  it('the supervisor never wakes it and never reaps its session (H4)', async () => {
    const { client } = stack.client('supervisor');
    const woke = await client.wake.mutate({ personality: 'pager', task: 'hello' });
    expect(woke).toMatchObject({ status: 'FAILED' });
    expect((woke as { reason: string }).reason).toMatch(/held by the host service manager/);
    // the manager's holder brings the session up (here: the test plays the manager)
    const holder = spawn(process.execPath, [CLI_BIN, 'run-infra', 'pager', 'notifier'], { cwd: path.join(sb.paths.peersDir, 'pager'), env: { ...sb.env, IAPEER_INFRA_POLL_MS: '100', IAPEER_INFRA_RECHECK_MS: '200' }, stdio: ['ignore', 'pipe', 'inherit'] });
    holders.push(holder);
    let said = '';
    holder.stdout!.setEncoding('utf8').on('data', (d: string) => (said += d));
    await waitFor(() => said.includes('holding'), 'the holder to bring the session up and hold it');
    expect(await tmux().isAlive('notifier-pager')).toBe(true);
    const tick = await client.tick.mutate();
    expect(tick.outcomes.filter((o) => o.identity === 'notifier-pager').map((o) => o.action)).not.toContain('reaped-gone');
    expect(await tmux().isAlive('notifier-pager')).toBe(true);
    expect(fs.existsSync(path.join(sb.paths.lifecycleDir, 'notifier-pager.session'))).toBe(false);
  });

  it('stop boots the job out and tears the session down; start bootstraps it; both through the manager', async () => {
    const holder = holders[0];
    const exited = new Promise((r) => holder.once('exit', r));
    const stop = await runCli(['stop', 'pager'], sb.env);
    expect(stop.code).toBe(0);
    expect(stop.stdout.trim()).toBe('pager (notifier): bootout — service manager skipped in the test sandbox');
    expect(await tmux().isAlive('notifier-pager')).toBe(false);
    expect(await exited).toBe(0); // the holder saw its session end
    const start = await runCli(['start', 'pager'], sb.env);
    expect(start.code).toBe(0);
    expect(start.stdout.trim()).toBe('pager (notifier): bootstrap — service manager skipped in the test sandbox');
    const [stopped, started] = journal().slice(-2);
    expect(stopped).toMatchObject({ action: 'stop', label: 'iapeer-peer-pager.service', argv: [['systemctl', '--user', 'disable', '--now', 'iapeer-peer-pager.service']] });
    expect(started).toMatchObject({ action: 'start', label: 'iapeer-peer-pager.service', changed: false });
    expect(fs.existsSync(path.join(sb.paths.lifecycleDir, 'notifier-pager.stopped'))).toBe(false);
  });

  it('a foreign job at the label: create refuses and changes nothing; stop/start/remove refuse with the reason, exit 1', async () => {
    fs.writeFileSync(unitFile('legacy'), '[Service]\nExecStart=/usr/local/bin/old-fleet legacy\n');
    const create = await runCli(['create', 'legacy', '--runtime', 'notifier'], sb.env);
    expect(create.code).toBe(1);
    expect(create.stderr).toMatch(/refused-foreign: .*iapeer-peer-legacy\.service/);
    expect((await runCli(['list', '--json'], sb.env)).stdout).not.toContain('"legacy"');
    expect(fs.existsSync(path.join(sb.paths.peersDir, 'legacy'))).toBe(false);
    // registered on a TUI runtime, the foreign job still holds the name
    expect((await runCli(['create', 'legacy', '--runtime', 'claude'], sb.env)).code).toBe(0);
    const journalBefore = journal().length;
    for (const verb of ['stop', 'start']) {
      const r = await runCli([verb, 'legacy'], sb.env);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/legacy \(claude\): refused-foreign-launchd — a foreign service file sits at .*iapeer-peer-legacy\.service/);
    }
    const remove = await runCli(['remove', 'legacy'], sb.env);
    expect(remove.code).toBe(1);
    expect(remove.stderr).toContain('held by a foreign service job');
    expect(journal()).toHaveLength(journalBefore);
    expect(fs.readFileSync(unitFile('legacy'), 'utf8')).toContain('old-fleet');
    const forced = await runCli(['remove', 'legacy', '--force'], sb.env);
    expect(forced.code).toBe(0);
    expect(fs.existsSync(unitFile('legacy'))).toBe(true); // never ours to delete
  });

  it('remove stops and deletes the peer\'s own job, then unregisters it', async () => {
    const r = await runCli(['remove', 'pager'], sb.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('removed always-on job iapeer-peer-pager.service (stop: skipped-sandbox)');
    expect(r.stdout).toContain('removed "pager" from the registry');
    expect(fs.existsSync(unitFile('pager'))).toBe(false);
    expect(journal().slice(-2).map((e) => [e.action, e.label])).toEqual([['stop', 'iapeer-peer-pager.service'], ['reload', undefined]]);
  });
});
