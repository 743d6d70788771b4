import fs from 'node:fs';
import path from 'node:path';
import { fakeMessages, field, linesWith, startLifecycleWorld, type LifecycleWorld } from './support/lifecycle-world';

// docs/behaviour.md §7.4 step 7 end to end: the per-identity wake lock. Twenty wakes of one asleep
// peer, fired at once from several connections, launch exactly one session; every other
// wake takes the live fast path (READY, woke:false) and leaves delivery to its caller.
describe('20 concurrent wakes of one asleep peer (real supervisor over its socket, real tmux)', () => {
  let w: LifecycleWorld;
  let erinCwd: string;
  const ERIN = 'fake-erin';
  const CLIENTS = 5;
  const WAKES = 20;

  beforeAll(async () => {
    w = await startLifecycleWorld();
    erinCwd = await w.createPeer('erin');
  });
  afterAll(() => w.close());

  it('exactly one wake launches (woke:true, its task delivered); the other 19 find it live', async () => {
    const clients = Array.from({ length: CLIENTS }, () => w.stack.client('supervisor', 3000));
    const results = await Promise.all(
      Array.from({ length: WAKES }, (_, i) => (clients[i % CLIENTS].client as any).wake.mutate({ personality: 'erin', topic: 'race', task: `wake number ${i}` })),
    );
    for (const c of clients) c.close();

    expect(results.every((r) => r.status === 'READY' && r.identity === ERIN)).toBe(true);
    const woke = results.filter((r) => r.woke);
    expect(woke).toHaveLength(1);
    expect(woke[0]).toMatchObject({ taskDelivered: true, mode: 'fresh', cause: 'first-wake' });
    expect(results.filter((r) => !r.woke && !r.taskDelivered)).toHaveLength(WAKES - 1);

    // one agent process ran: one banner in the pane log, one message in its transcript
    const paneLog = fs.readFileSync(path.join(w.sb.paths.paneLogDir, `${ERIN}.log`), 'utf8');
    expect(paneLog.split('Fake agent (iapeer test double)').length - 1).toBe(1);
    expect(fakeMessages(erinCwd)).toEqual([expect.stringMatching(/^wake number \d+$/)]);
    // one tmux server, one live session, enrolled once
    expect(fs.readdirSync(w.sb.paths.sockDir).filter((n) => n.includes(ERIN))).toEqual([`tmux-iap-${ERIN}.sock`]);
    expect(await w.tmux.listLive()).toEqual([ERIN]);
    expect(w.markers(ERIN)).toEqual(['session', 'topic']);
  });

  it('lifecycle.log: one launch decision and one ready line; 19 live fast paths (storm-compacted into repeated=N)', async () => {
    // identical lines within a second fold into one `repeated=N` line (logclient storm protection)
    const count = (lines: string[]) => lines.reduce((n, l) => n + Number(field(l, 'repeated') ?? 1), 0);
    const lines = await w.waitLifecycle((all) => (count(linesWith(all, { ev: 'wake', mode: 'live' })) >= WAKES - 1 ? all : undefined), '19 live fast paths in lifecycle.log', 'erin');
    expect(linesWith(lines, { ev: 'wake', mode: 'fresh' }).map((l) => field(l, 'outcome') ?? 'decision')).toEqual(['decision', 'ready']);
    expect(count(linesWith(lines, { ev: 'wake', mode: 'live', cause: 'live-fast-path' }))).toBe(WAKES - 1);
  });
});
