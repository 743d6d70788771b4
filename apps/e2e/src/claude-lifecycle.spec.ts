import fs from 'node:fs';
import path from 'node:path';
import { claudeTranscriptDir } from '@iapeer/runtimes';
import { REPO_ROOT, waitFor } from '@iapeer/testing';
import { pidAlive } from '@iapeer/tmux';
import { field, linesWith, startLifecycleWorld, type LifecycleWorld } from './support/lifecycle-world';

/**
 * The lifecycle once end to end against the REAL Claude Code CLI (the devDependency;
 * docs/notes/stack.md and docs/notes/agents.md): a throw-away HOME with only `hasCompletedOnboarding`
 * seeded, a dummy key, no network — so every turn fails offline, which is fine: iapeer
 * only needs the agent to boot, take the envelope (its transcript records it) and be
 * resumable. Wake on a topic → idle reap → the same topic resumes with `--continue`
 * (the earlier conversation is there) → a new topic comes up fresh.
 */
const CLAUDE_BIN = path.join(REPO_ROOT, 'node_modules', '.bin', 'claude');
const STEP_MS = 90_000;

describe('lifecycle × real Claude Code (offline, sandboxed HOME)', () => {
  let w: LifecycleWorld;
  let adaCwd: string;
  const ADA = 'claude-ada';
  /** The first claude's pid: it must not outlive its reap. */
  let firstPid = 0;
  // running = not gone and not a zombie: the kill does not wait for init to collect zombies
  // (docs/notes/tmux-control.md, "The Claude reap"); a zombie runs nothing
  const running = (pid: number) => pidAlive(pid);

  const send = (message: string, topic: string) => w.cli(['send', 'ada', '--from', 'fake-alice', '--message', message, '--topic', topic, '--json'], { timeoutMs: STEP_MS });
  /** The running claude's argv (the pane's process is claude itself: no shell in between). */
  const claudeArgv = async () => {
    const st = await w.tmux.inspect(ADA);
    if (st.state !== 'running' || !st.pid) throw new Error(`${ADA} is not running: ${JSON.stringify(st)}`);
    return fs.readFileSync(`/proc/${st.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  };
  /** Every transcript line of ada's project dir (small in this test). */
  const transcripts = () => {
    const dir = claudeTranscriptDir(adaCwd, w.sb.env);
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.jsonl')).map((n) => fs.readFileSync(path.join(dir, n), 'utf8')) : [];
  };
  const reapIdle = () =>
    waitFor(async () => (await w.sup.client.tick.mutate()).outcomes.find((o: { identity: string; action: string }) => o.identity === ADA && o.action === 'reaped-idle'), 'the tick to reap ada as idle', STEP_MS, 500);

  beforeAll(async () => {
    w = await startLifecycleWorld({
      IAPEER_CLAUDE_BIN: CLAUDE_BIN,
      ANTHROPIC_API_KEY: 'sk-ant-iapeer-e2e-dummy-key-000000',
      DISABLE_AUTOUPDATER: '1',
      IS_SANDBOX: '1',
      IAPEER_IDLE_SECS: '2',
      IAPEER_BOOT_DEADLINE_SECS: '60',
      IAPEER_READY_GATE_SECS: '60',
    });
    // the only seed (docs/notes/agents.md): without it a fresh HOME stops at the offline onboarding
    fs.writeFileSync(path.join(w.sb.home, '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true }));
    await w.createPeer('alice');
    adaCwd = await w.createPeer('ada', { runtime: 'claude' });
  }, STEP_MS);
  afterAll(() => w.close(), STEP_MS);

  it('a message with a topic wakes ada fresh: claude boots, answers its dialogs, and records the envelope', async () => {
    const r = await send('first contact: please review the plan', 'plan');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, woke: true, delivered_to: { personality: 'ada', runtime: 'claude' } });
    expect(await claudeArgv()).not.toContain('--continue');
    expect(transcripts().join('\n')).toContain('first contact: please review the plan');
    const st = await w.tmux.inspect(ADA);
    firstPid = st.state === 'running' ? (st.pid ?? 0) : 0;
    expect(firstPid).toBeGreaterThan(0);
  }, STEP_MS);

  it('the tick reaps it when idle: parked, resume-eligible, and no claude process outlives the reap', async () => {
    expect(await reapIdle()).toMatchObject({ outcome: 'resume-eligible' });
    expect(await w.tmux.isAlive(ADA)).toBe(false);
    // Claude Code survives the SIGHUP of a closed pty: the driver's kill must end it
    expect(running(firstPid)).toBe(false);
    expect(w.markers(ADA)).toEqual(['idle-reaped', 'topic']);
  }, STEP_MS);

  it('a message on the same topic resumes with --continue: the earlier conversation is there', async () => {
    const r = await send('second message on the plan', 'plan');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, woke: true });
    expect(await claudeArgv()).toContain('--continue');
    // the resumed session's transcript carries the first envelope and the new one
    await waitFor(() => transcripts().some((t) => t.includes('first contact: please review the plan') && t.includes('second message on the plan')), 'one transcript with both messages', STEP_MS, 250);
  }, STEP_MS);

  it('after another reap, a message on a new topic comes up fresh (no --continue, a new transcript)', async () => {
    await reapIdle();
    const before = transcripts().length;
    const r = await send('a different matter entirely', 'budget');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, woke: true });
    expect(await claudeArgv()).not.toContain('--continue');
    const fresh = await waitFor(() => transcripts().find((t) => t.includes('a different matter entirely')), 'the fresh transcript', STEP_MS, 250);
    expect(fresh).not.toContain('first contact: please review the plan');
    expect(transcripts().length).toBe(before + 1);
  }, STEP_MS);

  it('lifecycle.log: first-wake, reaped-idle, idle-reaped-resume with the transcript uuid, idle-reaped-new-topic', async () => {
    const lines = await w.waitLifecycle((all) => (linesWith(all, { ev: 'wake', cause: 'idle-reaped-new-topic', outcome: 'ready' }).length ? all : undefined), 'the new-topic wake', 'ada');
    const ready = linesWith(lines, { ev: 'wake', identity: ADA, outcome: 'ready' }).map((l) => `${field(l, 'mode')} ${field(l, 'cause')}`);
    expect(ready).toEqual(['fresh first-wake', 'resume idle-reaped-resume', 'fresh idle-reaped-new-topic']);
    const resume = linesWith(lines, { ev: 'wake', identity: ADA, mode: 'resume' }).find((l) => field(l, 'ref'));
    expect(field(resume!, 'ref')).toMatch(/^[0-9a-f-]{36}$/);
    expect(linesWith(lines, { ev: 'supervise', identity: ADA, action: 'reaped-idle' })).toHaveLength(2);
  }, STEP_MS);
});
