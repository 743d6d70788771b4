import fs from 'node:fs';
import path from 'node:path';
import { readFakeTranscript, waitFor } from '@iapeer/testing';
import { field, linesWith, startLifecycleWorld, type LifecycleWorld } from './support/lifecycle-world';

// docs/behaviour.md §6.5 and §7.9 end to end: compact is done-gated on the transcript's
// compaction record and resumes a cleanly parked peer first; a peer that is not parked has
// nothing to compact; interrupt and compact refuse a peer held by a foreign service job;
// the tick's supervise lines carry the idle age as `age=<N>s`.
describe('compact and interrupt (real services, real tmux, the fake agent)', () => {
  let w: LifecycleWorld;
  let danaCwd: string;
  const DANA = 'fake-dana';
  const records = (cwd: string) => readFakeTranscript(cwd).map((r) => r.type);
  const send = (to: string, message: string) => w.cli(['send', to, '--from', 'fake-alice', '--message', message]);

  beforeAll(async () => {
    // the fake agent records a compaction at once: poll fast so the gate answers quickly
    w = await startLifecycleWorld({ IAPEER_IDLE_SECS: '1', IAPEER_COMPACT_DONE_POLL_MS: '100' });
    await w.createPeer('alice');
    danaCwd = await w.createPeer('dana');
  });
  afterAll(() => w.close());

  it('compact of a live peer types /compact and answers once the transcript records the compaction', async () => {
    expect((await send('dana', 'some work to compact')).code).toBe(0);
    const r = await w.cli(['compact', 'dana']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('compact → dana (fake)');
    // done-gated: the record is there when the command returns
    expect(records(danaCwd)).toEqual(['message', 'compact']);
  });

  it('interrupt of a live peer sends Escape', async () => {
    const r = await w.cli(['interrupt', 'dana']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('interrupt → dana (fake)');
    await waitFor(() => records(danaCwd).includes('interrupt'), 'the interrupt record');
  });

  it('a parked peer (idle-reaped) is resumed first, then compacted: "after resume"', async () => {
    await waitFor(async () => (await w.sup.client.tick.mutate()).outcomes.find((o: { identity: string; action: string }) => o.identity === DANA && o.action === 'reaped-idle'), 'the idle reap of dana');
    expect(await w.tmux.isAlive(DANA)).toBe(false);
    const r = await w.cli(['compact', 'dana']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('compact → dana (fake) after resume');
    expect(await w.tmux.isAlive(DANA)).toBe(true);
    expect(records(danaCwd).slice(-2)).toEqual(['resume', 'compact']);
    const lines = await w.waitLifecycle((all) => {
      const l = linesWith(all, { ev: 'wake', origin: 'compact', outcome: 'ready' });
      return l.length ? l : undefined;
    }, 'the resume wake asked by compact', DANA);
    expect(field(lines[0], 'mode')).toBe('resume');
  });

  it('a peer that is asleep but not parked has nothing to compact: exit 1, nothing woken', async () => {
    await w.createPeer('erin');
    const r = await w.cli(['compact', 'erin']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('iapeer compact: erin (fake) has no live session and no clean park to resume: nothing to compact');
    expect(await w.tmux.isAlive('fake-erin')).toBe(false);
  });

  it('interrupt and compact refuse a peer held by a foreign service job, and touch nothing', async () => {
    const cwd = await w.createPeer('frank');
    expect((await send('frank', 'hello frank')).code).toBe(0);
    const unit = path.join(w.sb.paths.systemdUserDir, 'iapeer-peer-frank.service');
    fs.mkdirSync(path.dirname(unit), { recursive: true });
    fs.writeFileSync(unit, '[Service]\nExecStart=/usr/local/bin/old-fleet frank\n');
    try {
      for (const verb of ['interrupt', 'compact']) {
        const r = await w.cli([verb, 'frank']);
        expect(r.code).toBe(1);
        expect(r.stderr.trim()).toBe(
          `iapeer ${verb}: ${verb} refused: "frank" is held by a foreign service file at ${unit} (label iapeer-peer-frank.service, no iapeer sentinel); iapeer never interrupts or compacts a peer it does not manage — manage it by hand or move the file away`,
        );
      }
      expect(records(cwd)).toEqual(['message']);
    } finally {
      fs.rmSync(unit);
    }
  });

  it('supervise lines carry the idle age with its unit: age=<N>s, a death too', async () => {
    await w.tmux.kill('fake-frank');
    await waitFor(async () => (await w.sup.client.tick.mutate()).outcomes.find((o: { identity: string; action: string }) => o.identity === 'fake-frank' && o.action === 'reaped-gone'), 'the tick to see frank dead');
    const lines = await w.waitLifecycle((all) => {
      const gone = linesWith(all, { ev: 'supervise', action: 'reaped-gone', identity: 'fake-frank' });
      const idle = linesWith(all, { ev: 'supervise', action: 'reaped-idle', identity: DANA });
      return gone.length && idle.length ? [...idle, ...gone] : undefined;
    }, 'a reaped-idle and a reaped-gone line');
    expect(lines[0]).toMatch(/^ts=\S+ ev=supervise identity=fake-dana action=reaped-idle reason="idle (\d+)s > 1s" age=\1s outcome=resume-eligible$/);
    expect(lines.at(-1)).toMatch(/^ts=\S+ ev=supervise identity=fake-frank action=reaped-gone reason="session no longer live" death=(server-dead|session-gone) age=\d+s outcome=fresh-next-msg$/);
  });
});
