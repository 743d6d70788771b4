import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createPaneGroup } from './process-group';
import { runningGroupMembers } from './process-group.spec-helpers';

// Real processes: a group led by `sleep 600` (it never waits for its children) with one
// exited child, i.e. a zombie member, as Claude Code leaves its helpers.
async function groupWithZombie(): Promise<{ leader: number; zombie: number }> {
  const child = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 600'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  const zombie = await new Promise<number>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
  const state = () => fs.readFileSync(`/proc/${zombie}/stat`, 'latin1').split(') ')[1]?.[0];
  const end = Date.now() + 5000;
  while (state() !== 'Z') {
    if (Date.now() > end) throw new Error('the child never became a zombie');
    await new Promise((r) => setTimeout(r, 10));
  }
  return { leader: child.pid!, zombie };
}

const describeLinux = process.platform === 'linux' ? describe : describe.skip;

describeLinux('createPaneGroup (real processes, /proc)', () => {
  const group = createPaneGroup();

  it('a group runs while a member runs; its zombie member alone does not make it run', async () => {
    const { leader, zombie } = await groupWithZombie();
    expect(group.running(leader)).toBe(true);
    expect(runningGroupMembers(leader)).toEqual([leader]);
    process.kill(leader, 'SIGKILL');
    // the zombie may linger (re-parented to init) but runs nothing: the group is gone
    const end = Date.now() + 5000;
    while (group.running(leader)) {
      if (Date.now() > end) throw new Error(`group ${leader} still running (zombie ${zombie})`);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(runningGroupMembers(leader)).toEqual([]);
  });

  it('end: SIGTERM, then SIGKILL after the grace for a leader that ignores it; waitGone returns with no member running', async () => {
    const child = spawn('sh', ['-c', 'trap "" TERM; sleep 0 & echo started; exec sleep 600'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise((r) => child.stdout.once('data', r));
    const pgid = child.pid!;
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_c, sig) => r(sig)));
    await createPaneGroup({ graceMs: 100 }).end(pgid);
    await group.waitGone(pgid);
    expect(runningGroupMembers(pgid)).toEqual([]);
    expect(await exited).toBe('SIGKILL');
  });
});
