import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTmuxDriver } from './create-driver';
import { exitSpoolOf } from './tmux-scripts';

// Real tmux: the rotating pane-log writer pipe-pane feeds, and the pane-died hook's exit
// records (one JSON line per death in <paneLogDir>/<identity>.exits).
async function until<T>(cond: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await cond();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iapt-pl-'));
const sockDir = path.join(dir, 'socks');
const logDir = path.join(dir, 'logs');
const MAX = 64 * 1024;
const tmux = createTmuxDriver({ sockDir, paneLog: { maxBytes: MAX, keep: 2 } });
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8' };
const spawned = new Set<string>();
const logOf = (id: string) => path.join(logDir, `${id}.log`);

async function spawnSh(identity: string, script: string) {
  spawned.add(identity);
  await tmux.spawn({ identity, cwd: dir, argv: ['sh', '-c', script], env, paneLog: logOf(identity) });
}

function records(identity: string): Array<Record<string, unknown>> {
  const spool = exitSpoolOf(logOf(identity), identity);
  if (!fs.existsSync(spool)) return [];
  return fs.readFileSync(spool, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

afterAll(async () => {
  for (const id of spawned) await tmux.kill(id);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('pane log rotation (pipe-pane → pane-log-writer.sh)', () => {
  it('a pane that prints 1 MiB leaves a log and two rotations, each within the cap, the newest bytes last', async () => {
    // 16 384 numbered lines of 64 bytes = 1 MiB, then a marker
    await spawnSh('claude-flood', 'i=0; while [ $i -lt 16384 ]; do printf "line %08d %s\\n" $i 0123456789012345678901234567890123456789abcdefghij; i=$((i+1)); done; echo FLOOD-END; exec sleep 600');
    await until(() => fs.existsSync(logOf('claude-flood')) && fs.readFileSync(logOf('claude-flood'), 'utf8').includes('FLOOD-END'), 'the end marker in the log', 60_000);
    const files = fs.readdirSync(logDir).filter((n) => n.startsWith('claude-flood.log')).sort();
    expect(files).toEqual(['claude-flood.log', 'claude-flood.log.1', 'claude-flood.log.2']);
    for (const f of files) {
      const st = fs.statSync(path.join(logDir, f));
      expect([f, st.size <= MAX]).toEqual([f, true]);
      expect([f, st.mode & 0o777]).toEqual([f, 0o600]);
    }
    // chronological across files: .2 oldest, then .1, then the base
    const firstLine = (f: string) => /line (\d{8})/.exec(fs.readFileSync(path.join(logDir, f), 'utf8'))?.[1] ?? '';
    expect(Number(firstLine('claude-flood.log.2'))).toBeLessThan(Number(firstLine('claude-flood.log.1')));
    expect(Number(firstLine('claude-flood.log.1'))).toBeLessThan(Number(firstLine('claude-flood.log')));
    expect(await tmux.isAlive('claude-flood')).toBe(true);
  }, 90_000);
});

describe('exit records (pane-died hook → exit-record.cjs)', () => {
  it('an exit with a status: one record with the status and the last rows of the pane', async () => {
    await spawnSh('claude-exit7', 'echo "last words before exit"; exit 7');
    const [rec] = await until(() => (records('claude-exit7').length ? records('claude-exit7') : null), 'the exit record');
    expect(rec).toMatchObject({ identity: 'claude-exit7', status: 7, signal: null });
    expect(rec.tail).toContain('last words before exit');
    expect(Date.parse(String(rec.at))).toBeGreaterThan(Date.now() - 60_000);
  });

  it('a death by a signal: the signal number, no status', async () => {
    await spawnSh('claude-killed', 'echo "about to be killed"; kill -9 $$');
    const [rec] = await until(() => (records('claude-killed').length ? records('claude-killed') : null), 'the exit record');
    expect(rec).toMatchObject({ identity: 'claude-killed', status: null, signal: 9 });
    expect(rec.tail).toContain('about to be killed');
  });

  it('a kill by the driver leaves no record (iapeer says why it killed elsewhere)', async () => {
    await spawnSh('claude-reaped', 'echo up; exec sleep 600');
    await until(async () => (await tmux.capture('claude-reaped')).includes('up'), 'the pane');
    await tmux.kill('claude-reaped');
    // the hook would have fired within this window: the exit-record runs in ~100 ms
    await new Promise((r) => setTimeout(r, 1000));
    expect(records('claude-reaped')).toEqual([]);
  });
});
