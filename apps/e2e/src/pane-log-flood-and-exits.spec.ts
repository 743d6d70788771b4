import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { readFakeTranscript, waitFor } from '@iapeer/testing';
import { startLifecycleWorld, type LifecycleWorld } from './support/lifecycle-world';

// Issue 15: bounded pane logs (pipe-pane → the rotating writer, IAPEER_PANE_LOG_MAX_BYTES /
// _KEEP) under an agent that prints 50 MB, and exits.log (the pane-died hook's records,
// the server-death canary) read back through `iapeer logs exits`.
const MAX = 2 * 1024 * 1024;
const KEEP = 2;
const FLOOD = 50_000_000;

describe('pane logs stay within their cap under a 50 MB flood, and the stack keeps delivering', () => {
  let w: LifecycleWorld;
  let bobCwd: string;
  beforeAll(async () => {
    w = await startLifecycleWorld({ IAPEER_PANE_LOG_MAX_BYTES: String(MAX), IAPEER_PANE_LOG_KEEP: String(KEEP) });
    await w.createPeer('alice');
    bobCwd = await w.createPeer('bob');
  });
  afterAll(() => w?.close(), 60_000);

  const paneLogs = () => fs.readdirSync(w.sb.paths.paneLogDir).filter((n) => n === 'fake-bob.log' || n.startsWith('fake-bob.log.')).sort();
  const sizes = () => paneLogs().map((n) => fs.statSync(path.join(w.sb.paths.paneLogDir, n)).size);

  it('bob prints 50 MB: the log and its rotations never pass the cap; a send afterwards is delivered', async () => {
    const r = await w.cli(['send', 'bob', '--from', 'fake-alice', '--message', `FAKE:flood=${FLOOD}`]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    // watch the files while the flood runs: no file ever passes MAX, never more than KEEP rotations
    let biggest = 0;
    let most = 0;
    await waitFor(
      () => {
        const s = sizes();
        biggest = Math.max(biggest, ...s);
        most = Math.max(most, s.length);
        return readFakeTranscript(bobCwd).some((rec) => rec.type === 'flood');
      },
      'the flood to end',
      180_000,
      20,
    );
    // the agent's transcript says the flood ended; tmux and the writer may still be copying
    // its tail: wait until the files stop changing before reading them
    let last = '';
    await waitFor(
      () => {
        let now: string;
        try {
          now = JSON.stringify(paneLogs().map((n) => [n, fs.statSync(path.join(w.sb.paths.paneLogDir, n)).size]));
        } catch {
          return false; // a file renamed between the listing and the stat: still rotating
        }
        const settled = now === last;
        last = now;
        return settled;
      },
      'the pane-log writer to catch up with the flood',
      120_000,
      250,
    );
    expect(biggest).toBeLessThanOrEqual(MAX);
    expect(most).toBeLessThanOrEqual(KEEP + 1);
    expect(paneLogs()).toEqual(['fake-bob.log', 'fake-bob.log.1', 'fake-bob.log.2']);
    const total = sizes().reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(MAX * (KEEP + 1));
    // the rotated files hold the flood's rows: the writer kept up, only the oldest went
    expect(fs.readFileSync(path.join(w.sb.paths.paneLogDir, 'fake-bob.log.2'), 'utf8')).toContain('flood xxxx');

    const after = await w.cli(['send', 'bob', '--from', 'fake-alice', '--message', 'after the flood']);
    expect([after.code, after.stderr]).toEqual([0, '']);
    expect(readFakeTranscript(bobCwd).filter((rec) => rec.type === 'message').map((rec) => rec.text)).toEqual([expect.stringContaining('FAKE:flood'), expect.stringContaining('after the flood')]);
    expect(Math.max(...sizes())).toBeLessThanOrEqual(MAX);
    // and the supervisor still ends it: its tmux control connection came through the flood
    const stop = await w.cli(['stop', 'bob'], { timeoutMs: 30_000 });
    expect([stop.code, stop.stdout.trim()]).toEqual([0, 'bob (fake): stopped']);
  }, 240_000);
});

describe('exits.log: one record per death from the pane-died hook, the server-death canary, `iapeer logs exits`', () => {
  let w: LifecycleWorld;
  beforeAll(async () => {
    w = await startLifecycleWorld();
    for (const p of ['alice', 'carl', 'dave', 'erin']) await w.createPeer(p);
  });
  afterAll(() => w?.close());

  const exitsLines = async () => {
    const r = await w.cli(['logs', 'exits', '-n', '100']);
    if (r.code !== 0) throw new Error(`iapeer logs exits: ${r.code} ${r.stderr}`);
    return r.stdout.split('\n').filter(Boolean);
  };
  /** Ticks (the tick ships the spooled records) until `pick` finds what it wants in exits.log. */
  const tickUntil = <T>(pick: (lines: string[]) => T, what: string) =>
    waitFor(
      async () => {
        await w.sup.client.tick.mutate();
        return pick(await exitsLines());
      },
      what,
      20_000,
      100,
    );
  const dead = (identity: string) => waitFor(async () => (await w.tmux.inspect(identity)).state !== 'running', `${identity} to die`);

  it('an agent that exits with a status and one killed by a signal each leave one record', async () => {
    expect((await w.cli(['send', 'carl', '--from', 'fake-alice', '--message', 'FAKE:exit=7'])).code).toBe(0);
    expect((await w.cli(['send', 'dave', '--from', 'fake-alice', '--message', 'FAKE:signal=KILL'])).code).toBe(0);
    await dead('fake-carl');
    await dead('fake-dave');
    const lines = await tickUntil((l) =>  (l.some((x) => x.includes('identity=fake-carl')) && l.some((x) => x.includes('identity=fake-dave')) ? l : null), 'both records in exits.log');
    const carl = lines.filter((l) => l.includes('identity=fake-carl'));
    const dave = lines.filter((l) => l.includes('identity=fake-dave'));
    expect(carl).toHaveLength(1);
    expect(carl[0]).toMatch(/^ts=\S+ ev=session-exit identity=fake-carl dead_status=7 at=\S+ tail="[^"]*exiting with status 7 as told/);
    expect(dave).toHaveLength(1);
    expect(dave[0]).toMatch(/^ts=\S+ ev=session-exit identity=fake-dave dead_signal=9 signame=SIGKILL at=\S+ tail="[^"]*killing itself with SIGKILL as told/);
    // a later tick ships nothing twice
    await w.sup.client.tick.mutate();
    expect((await exitsLines()).filter((l) => /identity=fake-(carl|dave)/.test(l))).toHaveLength(2);
  }, 60_000);

  it('a tmux server killed under a live agent: the canary logs ev=server-exit (no pane-died hook ran)', async () => {
    expect((await w.cli(['send', 'erin', '--from', 'fake-alice', '--message', 'hello'])).code).toBe(0);
    const pid = Number(execFileSync('tmux', ['-S', w.tmux.socketOf('fake-erin'), 'display-message', '-p', '#{pid}'], { encoding: 'utf8' }).trim());
    process.kill(pid, 'SIGKILL');
    await waitFor(async () => (await w.tmux.inspect('fake-erin')).state === 'absent', 'the server to be gone');
    const line = await tickUntil((l) => l.find((x) => x.includes('identity=fake-erin')), 'the canary line');
    expect(line).toMatch(/^ts=\S+ ev=server-exit identity=fake-erin woke_at=\S+ reason="tmux server gone without a pane-died record"$/);
    expect(await w.lifecycle('fake-erin')).toEqual(expect.arrayContaining([expect.stringMatching(/action=reaped-gone .*death=server-dead/)]));
  }, 60_000);
});
