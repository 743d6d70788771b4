import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '@iapeer/core';
import { deliver, launch, loadRuntimes, sendCompact, sendInterrupt, submitLeftoverPaste, type LaunchConfig, type RuntimeAdapter } from '@iapeer/runtimes';
import { createTmuxDriver } from '@iapeer/tmux';
import { fakeAgentEnv, installFakeRuntime, readFakeTranscript, type FakeAgentBehaviour } from './fake-runtime';
import { makeSandbox } from './sandbox';
import { waitFor } from './wait-for';

// Real tmux + the fake agent as a manifest runtime, in a sandbox root: the whole
// launch → verified delivery path, the misbehaving modes, and control keys.
const sandbox = makeSandbox();
installFakeRuntime(sandbox);
const tmux = createTmuxDriver({ sockDir: sandbox.paths.sockDir, baseEnv: sandbox.env });
const loaded = loadRuntimes({ paths: sandbox.paths, env: sandbox.env });
const adapter = loaded.adapters.get('fake') as RuntimeAdapter;
const cfg: LaunchConfig = { ...loadConfig(sandbox.env), bootDeadlineSecs: 20, readyGateSecs: 10 };
const spawned = new Set<string>();

function peer(personality: string, behaviour: FakeAgentBehaviour = {}, resume = false) {
  const cwd = path.join(sandbox.dir, 'peers', personality);
  fs.mkdirSync(cwd, { recursive: true });
  const identity = `fake-${personality}`;
  spawned.add(identity);
  const paneLog = path.join(sandbox.paths.paneLogDir, `${identity}.log`);
  const spec = { cwd, identity, personality, resume, paneLog, env: { ...sandbox.env, ...fakeAgentEnv(behaviour) } };
  return { cwd, identity, paneLog, spec };
}

const messages = (cwd: string) => readFakeTranscript(cwd).filter((r) => r.type === 'message').map((r) => r.text);

afterAll(async () => {
  for (const id of spawned) await tmux.kill(id);
  sandbox.cleanup();
});

describe('the fake agent as a custom runtime', () => {
  it('is loaded from its manifest with no problems', () => {
    expect(loaded.problems).toEqual([]);
    expect(adapter).toMatchObject({ name: 'fake', kind: 'tui', promptGlyph: '❯' });
  });
});

describe('launch (§7.8) and verified delivery (§6.3)', () => {
  const p = peer('boris');

  it('launches, answers nothing, becomes ready and delivers the first message', async () => {
    const res = await launch({ spec: p.spec, adapter, firstMessage: 'hello from launch', tmux, cfg });
    expect(res).toEqual({ status: 'READY', identity: p.identity });
    expect(messages(p.cwd)).toEqual(['hello from launch']);
    expect(await tmux.listLive()).toContain(p.identity);
  });

  it('delivers 100 messages of assorted shapes, each found exactly once in the transcript', async () => {
    const shapes = [
      (i: number) => `plain message ${i}`,
      (i: number) => `multi-line ${i}\nsecond line\n\nfourth line after a blank`,
      (i: number) => `long ${i} ${'abcdefghij'.repeat(1600)}`.slice(0, 16_000),
      (i: number) => `quotes ${i}: "double" 'single' \`back\` \\ $HOME; rm -rf / ;`,
      (i: number) => `cdata ${i}: ]]> and </iap> and <iap from-personality="x">`,
      (i: number) => `unicode ${i}: Привет, 世界 — ünïcödé ✓ 🎉`,
      (i: number) => `/compact-like ${i}\n/slash line first`,
      (i: number) => `/notacommand ${i}`,
      (i: number) => `tabs\tand ${i}\ttabs`,
      (i: number) => `${i}\n  indented\n    more;\n`,
    ];
    const sent: string[] = [];
    const confirmedBy: string[] = [];
    for (let i = 0; i < 100; i++) {
      const text = shapes[i % shapes.length](i);
      const res = await deliver({ tmux, identity: p.identity, adapter, text, cfg, paneLog: p.paneLog, cwd: p.cwd, env: p.spec.env });
      confirmedBy.push(res.confirmedBy);
      sent.push(text);
    }
    // Every submit confirmed by the input row clearing, not by the weaker activity fallback.
    expect(new Set(confirmedBy)).toEqual(new Set(['input-cleared']));
    const got = messages(p.cwd).slice(1);
    expect(got).toHaveLength(100);
    for (const text of sent) expect(got.filter((m) => m === text)).toHaveLength(1);
    expect(sent.some((t) => t.length === 16_000)).toBe(true);
    // a generous deadline, not a speed claim: 100 verified deliveries take ~5 s idle and
    // passed 30 s with the host at a load of 16 (speed lives in bench/delivery)
  }, 180_000);

  it('sends interrupt (Escape) and compact (/compact + Enter) to a live TUI', async () => {
    await sendInterrupt({ tmux, identity: p.identity, adapter });
    await waitFor(() => readFakeTranscript(p.cwd).some((r) => r.type === 'interrupt'), 'the interrupt record');
    const ctx = { cwd: p.cwd, paneLog: p.paneLog, env: p.spec.env };
    const before = adapter.compactions!(ctx);
    await sendCompact({ tmux, identity: p.identity, adapter });
    await waitFor(() => readFakeTranscript(p.cwd).some((r) => r.type === 'compact'), 'the compaction record');
    // the manifest's compactDonePattern counts it: what compact's done-gate waits for (§6.5)
    expect(adapter.compactions!(ctx)).toBe((before ?? 0) + 1);
  });

  it('launch.env (§3.3) reaches the real session: its env keys, and PEER_START_ARGS after the argv', async () => {
    const q = peer('envy');
    const launchEnv = { env: { FAKE_AGENT_SHOW_ENV: 'GREETING,CLAUDE_CODE_OWN', GREETING: 'hi there', CLAUDE_CODE_OWN: 'kept' }, startArgs: ['--one', '--two=2'] };
    const res = await launch({ spec: { ...q.spec, launchEnv }, adapter, tmux, cfg });
    expect(res.status).toBe('READY');
    const started = JSON.parse(fs.readFileSync(path.join(q.cwd, 'fake-agent-start.json'), 'utf8'));
    expect(started).toEqual({ argv: ['--one', '--two=2'], env: { GREETING: 'hi there', CLAUDE_CODE_OWN: 'kept' } });
  });

  it('resumes: a relaunch with resume prints what it resumed', async () => {
    const before = messages(p.cwd).length;
    expect(adapter.resolveResume(p.cwd, p.spec.env)).toEqual({ ok: true, ref: 'transcript.jsonl' });
    const res = await launch({ spec: { ...p.spec, resume: true }, adapter, tmux, cfg });
    expect(res.status).toBe('READY');
    expect(await tmux.capture(p.identity)).toContain(`Resumed ${before} messages from transcript.jsonl`);
  });
});

describe('a paste left in the input area by a cut-off delivery (chaos finding)', () => {
  it('is submitted once by submitLeftoverPaste; an empty input area is left alone', async () => {
    const p = peer('leftover');
    expect((await launch({ spec: p.spec, adapter, tmux, cfg })).status).toBe('READY');
    expect(await submitLeftoverPaste({ tmux, identity: p.identity, adapter, cfg, paneLog: p.paneLog })).toBe(false);
    await tmux.paste(p.identity, 'line one\nline two of a paste never submitted');
    await waitFor(async () => (await tmux.capture(p.identity)).includes('[Pasted text'), 'the paste placeholder in the input row');
    expect(await submitLeftoverPaste({ tmux, identity: p.identity, adapter, cfg, paneLog: p.paneLog })).toBe(true);
    expect(messages(p.cwd)).toEqual(['line one\nline two of a paste never submitted']);
    expect(await submitLeftoverPaste({ tmux, identity: p.identity, adapter, cfg, paneLog: p.paneLog })).toBe(false);
  });
});

describe('boot dialogs and slow boots', () => {
  it('answers the boot dialog with the manifest keys, then becomes ready', async () => {
    const p = peer('dialog', { dialog: true });
    const res = await launch({ spec: p.spec, adapter, firstMessage: 'after the dialog', tmux, cfg });
    expect(res.status).toBe('READY');
    expect(messages(p.cwd)).toEqual(['after the dialog']);
  });

  it('waits for a slow boot within the deadline', async () => {
    const p = peer('slow', { bootDelayMs: 1500 });
    const res = await launch({ spec: p.spec, adapter, firstMessage: 'slowly', tmux, cfg });
    expect(res.status).toBe('READY');
    expect(messages(p.cwd)).toEqual(['slowly']);
  });
});

describe('misbehaving agents: the right error, never a false success', () => {
  it('never ready → FAILED never-became-ready with the pane tail', async () => {
    const p = peer('never', { neverReady: true });
    const res = await launch({ spec: p.spec, adapter, firstMessage: 'lost', tmux, cfg: { ...cfg, bootDeadlineSecs: 1 } });
    expect(res.status).toBe('FAILED');
    if (res.status !== 'FAILED') return;
    expect(res.reason).toMatch(/^never-became-ready \(no input prompt within 1s\); pane tail: .*Loading…/);
    expect(res.paneTail).toContain('Loading…');
    expect(messages(p.cwd)).toEqual([]);
  });

  it('swallowed Enter → DELIVERY_NOT_CONFIRMED saying NOT delivered', async () => {
    const p = peer('swallow', { swallowEnter: true });
    expect((await launch({ spec: p.spec, adapter, tmux, cfg })).status).toBe('READY');
    const fast = { ...cfg, submitTimeoutMs: 1200, livenessGraceMs: 400 };
    const err = await deliver({ tmux, identity: p.identity, adapter, text: 'will not submit', cfg: fast, paneLog: p.paneLog, cwd: p.cwd, env: p.spec.env }).catch((e) => e);
    expect(err.code).toBe('DELIVERY_NOT_CONFIRMED');
    expect(err.message).toMatch(/^peer "swallow" \(fake\) is listed live but did not accept the message \(Enter did not clear the input row within 1200 ms, and no activity within 400 ms\): message NOT delivered$/);
    expect(messages(p.cwd)).toEqual([]);
  });

  it('a first message that cannot be submitted fails the launch', async () => {
    const p = peer('swallow2', { swallowEnter: true });
    const res = await launch({ spec: p.spec, adapter, firstMessage: 'x', tmux, cfg: { ...cfg, submitTimeoutMs: 800, livenessGraceMs: 300 } });
    expect(res.status).toBe('FAILED');
    if (res.status === 'FAILED') expect(res.reason).toMatch(/^first-message-not-delivered: .*message NOT delivered/);
  });

  it('crash after N messages → the next delivery fails with SESSION_NOT_LIVE; the death is visible', async () => {
    const p = peer('crashy', { crashAfter: 2 });
    expect((await launch({ spec: p.spec, adapter, firstMessage: 'one', tmux, cfg })).status).toBe('READY');
    await deliver({ tmux, identity: p.identity, adapter, text: 'two', cfg, paneLog: p.paneLog, cwd: p.cwd, env: p.spec.env });
    await waitFor(async () => (await tmux.inspect(p.identity)).state === 'dead', 'the agent to exit');
    // the status too: inspect makes tmux reap a zombie whose SIGCHLD it lost (docs/notes/tmux-control.md)
    expect(await tmux.inspect(p.identity)).toEqual({ state: 'dead', exitStatus: 3, exitSignal: null });
    const err = await deliver({ tmux, identity: p.identity, adapter, text: 'three', cfg, paneLog: p.paneLog, cwd: p.cwd }).catch((e) => e);
    expect(err.code).toBe('SESSION_NOT_LIVE');
    expect(err.message).toBe('peer "crashy" (fake) has no live session: message NOT delivered');
    expect(messages(p.cwd)).toEqual(['one', 'two']);
    expect(await tmux.classifyGone(p.identity)).toBe('session-gone');
  });

  it('a delivery to a peer with no session is refused, not faked', async () => {
    const err = await deliver({ tmux, identity: 'fake-nobody', adapter, text: 'hi', cfg }).catch((e) => e);
    expect(err.code).toBe('SESSION_NOT_LIVE');
  });
});
