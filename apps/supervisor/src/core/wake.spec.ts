import fs from 'node:fs';
import path from 'node:path';
import { FakeWorld } from '../test/fake-world';
import { wakeOrSpawn } from './wake';

describe('wakeOrSpawn (§7.4)', () => {
  let w: FakeWorld;
  beforeEach(() => {
    w = new FakeWorld();
    w.addPeer({ personality: 'bob', runtimes: ['claude', 'codex'] });
  });
  afterEach(() => w.cleanup());

  it('refuses an unknown peer without launching, logged mode=refused cause=unknown-peer', async () => {
    const r = await wakeOrSpawn(w.deps(), { personality: 'ghost', task: 'hi' });
    expect(r).toEqual({ status: 'FAILED', code: 'PEER_NOT_FOUND', reason: 'unknown peer "ghost": not in the iapeer peers index' });
    expect(w.launches).toHaveLength(0);
    expect(w.events.rendered('wake')).toEqual(['ev=wake personality=ghost mode=refused cause=unknown-peer origin=send']);
  });

  it('never wakes a launchd/systemd-managed peer (H4)', async () => {
    w.managed.set('bob', 'ours');
    const r = await wakeOrSpawn(w.deps(), { personality: 'bob', task: 'hi' });
    expect(r).toMatchObject({ status: 'FAILED', code: 'LAUNCHD_MANAGED' });
    expect(w.launches).toHaveLength(0);
    expect(w.events.rendered('wake')[0]).toContain('mode=refused cause=launchd-managed');
  });

  it('resolves the runtime: explicit must be declared, else the default', async () => {
    const bad = await wakeOrSpawn(w.deps(), { personality: 'bob', runtime: 'gemini', task: 'x' });
    expect(bad).toMatchObject({ status: 'FAILED', code: 'RUNTIME_NOT_DECLARED', reason: 'runtime "gemini" is not declared for "bob" (declared: claude, codex)' });
    const ok = await wakeOrSpawn(w.deps(), { personality: 'bob', task: 'x' });
    expect(ok).toMatchObject({ status: 'READY', identity: 'claude-bob', woke: true });
    const codex = await wakeOrSpawn(w.deps(), { personality: 'bob', runtime: 'codex', task: 'x' });
    expect(codex).toMatchObject({ status: 'READY', identity: 'codex-bob' });
  });

  it('refuses a router runtime: infra peers are held by the service manager', async () => {
    w.addPeer({ personality: 'tg', default_runtime: 'telegram', runtimes: ['telegram'], intelligence: 'natural' });
    const r = await wakeOrSpawn(w.deps(), { personality: 'tg', task: 'x' });
    expect(r).toMatchObject({ status: 'FAILED', code: 'LAUNCHD_MANAGED' });
  });

  it('a stopped peer is never woken: FAILED stopped:true with the reason a sender sees', async () => {
    w.markers.set('claude-bob', 'stopped', new Date(w.now));
    const r = await wakeOrSpawn(w.deps(), { personality: 'bob', task: 'x' });
    expect(r).toEqual({ status: 'FAILED', code: 'PEER_STOPPED', identity: 'claude-bob', stopped: true, reason: '"bob" (claude) is stopped and not accepting messages; start it to resume' });
    expect(w.launches).toHaveLength(0);
    expect(w.events.rendered('wake')).toEqual(['ev=wake personality=bob identity=claude-bob runtime=claude mode=refused cause=stopped origin=send']);
  });

  it('launches, enrols .session, records the topic, and logs the decision then the outcome', async () => {
    const r = await wakeOrSpawn(w.deps(), { personality: 'bob', topic: 'release', task: '<iap>hi</iap>' });
    expect(r).toEqual({ status: 'READY', identity: 'claude-bob', personality: 'bob', runtime: 'claude', woke: true, taskDelivered: true, mode: 'fresh', cause: 'first-wake' });
    expect(w.launches).toHaveLength(1);
    expect(w.launches[0].firstMessage).toBe('<iap>hi</iap>');
    expect(w.launches[0].spec).toMatchObject({ identity: 'claude-bob', resume: false, paneLog: path.join(w.dir, 'logs', 'lifecycle', 'claude-bob.log'), bootDeadlineSecs: 240 });
    expect(w.markers.readSession('claude-bob')).toEqual({ identity: 'claude-bob', runtime: 'claude', personality: 'bob', cwd: w.peers.get('bob')!.cwd, wokeAt: '2026-03-01T12:00:00.000Z' });
    expect(w.markers.readTopics('claude-bob')).toEqual(['release']);
    expect(w.events.rendered('wake')).toEqual([
      'ev=wake personality=bob identity=claude-bob runtime=claude mode=fresh cause=first-wake origin=send',
      'ev=wake personality=bob identity=claude-bob runtime=claude mode=fresh cause=first-wake origin=send outcome=ready',
    ]);
  });

  it('a fresh wake seeds initial_prompt before the task; a resume never does', async () => {
    w.peers.get('bob')!.initialPrompt = 'Read TODO.md first.';
    await wakeOrSpawn(w.deps(), { personality: 'bob', topic: 'x', task: 'TASK' });
    expect(w.launches[0].firstMessage).toBe('Read TODO.md first.\n\nTASK');
    w.live.clear();
    w.markers.clearSession('claude-bob');
    w.markers.set('claude-bob', 'idle-reaped', new Date());
    w.transcripts.add(w.peers.get('bob')!.cwd);
    await wakeOrSpawn(w.deps(), { personality: 'bob', topic: 'x', task: 'T2' });
    expect(w.launches[1]).toMatchObject({ firstMessage: 'T2', spec: { resume: true } });
    await wakeOrSpawn(w.deps(), { personality: 'bob', runtime: 'codex', task: '', resume: false });
    expect(w.launches[2].firstMessage).toBe('Read TODO.md first.');
  });

  it('resumes a clean park on a topic of its set; a fresh wake resets the set', async () => {
    const cwd = w.peers.get('bob')!.cwd;
    w.transcripts.add(cwd);
    w.markers.addTopic('claude-bob', 'release');
    w.markers.set('claude-bob', 'idle-reaped', new Date());
    const r = await wakeOrSpawn(w.deps(), { personality: 'bob', topic: 'release', task: 'x' });
    expect(r).toMatchObject({ status: 'READY', mode: 'resume', cause: 'idle-reaped-resume' });
    expect(w.markers.has('claude-bob', 'idle-reaped')).toBe(false);
    expect(w.events.rendered('wake')[0]).toBe('ev=wake personality=bob identity=claude-bob runtime=claude mode=resume cause=idle-reaped-resume ref=uuid-bob origin=send');
    // park again, then a new topic: fresh, and the set starts over
    w.live.clear();
    w.markers.clearSession('claude-bob');
    w.markers.set('claude-bob', 'idle-reaped', new Date());
    const r2 = await wakeOrSpawn(w.deps(), { personality: 'bob', topic: 'hiring', task: 'x' });
    expect(r2).toMatchObject({ mode: 'fresh', cause: 'idle-reaped-new-topic' });
    expect(w.markers.readTopics('claude-bob')).toEqual(['hiring']);
  });

  it('attach with nothing to resume fails loudly and launches nothing', async () => {
    const r = await wakeOrSpawn(w.deps(), { personality: 'bob', resume: true, task: '', origin: 'attach' });
    expect(r).toMatchObject({ status: 'FAILED', code: 'NOTHING_TO_RESUME' });
    expect(w.launches).toHaveLength(0);
  });

  it('20 concurrent wakes of one asleep peer produce exactly one launch; the others take the live fast path', async () => {
    let open!: () => void;
    w.launchGate = new Promise<void>((r) => (open = r));
    const deps = w.deps();
    const all = Promise.all(Array.from({ length: 20 }, (_, i) => wakeOrSpawn(deps, { personality: 'bob', task: `m${i}` })));
    await new Promise((r) => setImmediate(r));
    open();
    const results = await all;
    expect(w.launches).toHaveLength(1);
    expect(results.filter((r) => r.status === 'READY' && r.woke)).toHaveLength(1);
    expect(results.filter((r) => r.status === 'READY' && !r.woke && !r.taskDelivered)).toHaveLength(19);
    expect(w.events.rendered('wake').filter((l) => l.includes('cause=live-fast-path'))).toHaveLength(19);
  });

  it('the crash-loop guard leaves the peer asleep after N deaths in the window', async () => {
    for (const t of [w.now - 200_000, w.now - 100_000, w.now - 1000]) w.markers.recordDeath('claude-bob', t);
    const r = await wakeOrSpawn(w.deps(), { personality: 'bob', task: 'x' });
    expect(r).toMatchObject({ status: 'FAILED', code: 'CRASH_LOOP', reason: 'crash-loop guard: 3 deaths in 300s, leaving asleep' });
    expect(w.launches).toHaveLength(0);
    expect(w.events.rendered('wake')[0]).toContain('mode=refused cause=crash-loop reason="crash-loop guard: 3 deaths in 300s, leaving asleep"');
  });

  it('deaths older than the window do not count, and a READY wake trims them', async () => {
    for (const t of [w.now - 900_000, w.now - 800_000, w.now - 1000]) w.markers.recordDeath('claude-bob', t);
    const r = await wakeOrSpawn(w.deps(), { personality: 'bob', task: 'x' });
    expect(r.status).toBe('READY');
    expect(w.markers.readDeaths('claude-bob')).toEqual([w.now - 1000]);
  });

  it('the heal records a dead session as a death before the guard counts', async () => {
    for (const t of [w.now - 2000, w.now - 1000]) w.markers.recordDeath('claude-bob', t);
    w.enrol('claude-bob', { live: false });
    const r = await wakeOrSpawn(w.deps(), { personality: 'bob', task: 'x' });
    expect(r).toMatchObject({ status: 'FAILED', code: 'CRASH_LOOP' });
    expect(w.events.rendered('supervise')).toEqual(['ev=supervise identity=claude-bob action=reaped-gone reason="session no longer live" death=session-gone age=0s outcome=fresh-next-msg']);
  });

  it('a FAILED launch whose session is alive anyway is still enrolled, and the caller gets FAILED', async () => {
    w.launchResult = (spec) => {
      w.live.add(spec.identity);
      return { status: 'FAILED', reason: 'model-did-not-process-task' };
    };
    const r = await wakeOrSpawn(w.deps(), { personality: 'bob', task: 'x' });
    expect(r).toMatchObject({ status: 'FAILED', code: 'WAKE_FAILED', reason: 'model-did-not-process-task' });
    expect(w.markers.readSession('claude-bob')).not.toBeNull();
    expect(w.events.rendered('wake')[1]).toContain('reason=model-did-not-process-task origin=send outcome=failed');
  });

  it('a missing peer folder fails before anything is launched', async () => {
    fs.rmSync(w.peers.get('bob')!.cwd, { recursive: true });
    const r = await wakeOrSpawn(w.deps(), { personality: 'bob', task: 'x' });
    expect(r).toMatchObject({ status: 'FAILED', code: 'WAKE_FAILED' });
    expect(r.status === 'FAILED' && r.reason).toMatch(/the folder of "bob" is missing/);
  });

  it('writes the system prompt only when the peer has a local IAPEER.md, and hands its path to launch', async () => {
    await wakeOrSpawn(w.deps(), { personality: 'bob', task: 'x' });
    expect(w.launches[0].spec.systemPromptFile).toBeUndefined();
    const cwd = w.peers.get('bob')!.cwd;
    fs.mkdirSync(path.join(cwd, '.iapeer'));
    fs.writeFileSync(path.join(cwd, '.iapeer', 'IAPEER.md'), 'Be brief.\n');
    await wakeOrSpawn(w.deps(), { personality: 'bob', runtime: 'codex', task: 'x' });
    const file = w.launches[1].spec.systemPromptFile!;
    expect(file).toBe(path.join(w.lifecycleDir, 'codex-bob.system-prompt.md'));
    expect(fs.readFileSync(file, 'utf8')).toContain('Be brief.');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('replace (new) kills a live session and launches fresh, clearing stop/park/eager markers and deaths', async () => {
    w.enrol('claude-bob');
    for (const f of ['stopped', 'idle-reaped', 'new-eager'] as const) w.markers.set('claude-bob', f, new Date());
    for (const t of [w.now - 3, w.now - 2, w.now - 1]) w.markers.recordDeath('claude-bob', t);
    const r = await wakeOrSpawn(w.deps(), { personality: 'bob', task: '', resume: false, replace: true, origin: 'new' });
    expect(r).toMatchObject({ status: 'READY', woke: true, mode: 'fresh', cause: 'folder-launch' });
    expect(w.kills).toEqual(['claude-bob']);
    for (const f of ['stopped', 'idle-reaped', 'new-eager'] as const) expect(w.markers.has('claude-bob', f)).toBe(false);
  });
});
