import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '@iapeer/core';
import { deliver } from '../deliver';
import { waitFor } from '../testing/temp-home';
import { bootUntilReady, inputArea, traceEarlySubmit, typeAndSubmit } from '../testing/agent-session';
import { CODEX_DEV_BIN, makeRealCliWorld, readAllUnder, type RealCliWorld } from '../testing/real-cli';
import { createCodexAdapter } from './codex-adapter';
import { codexSessionsDir } from './codex-sessions';

/**
 * The codex adapter against the REAL Codex 0.169.0 (devDependency) in tmux, with a
 * throw-away HOME, a dummy key and nothing seeded: the sign-in path and the folder
 * trust (the peer cwd is a git repo) are answered by the adapter. The steps share one
 * session, in order: boot → deliver (the real deliver(), while codex still starts) →
 * activity → interrupt → compact → resume. The cancel of a held submit that never
 * lands: codex-startup.real.spec.ts.
 */
const BOOT_MS = 90_000;
const STEP_MS = 30_000;
jest.setTimeout(180_000);

const MARK = 'codex-real-test-mark-7f3a';
const ENVELOPE = [
  '<iap-message from="ada" runtime="claude" topic="codex-real-test">',
  `<![CDATA[${MARK} first line`,
  'second line with "quotes" & <angle> brackets',
  ']]>',
  '</iap-message>',
].join('\n');

describe('codex adapter × real Codex', () => {
  const adapter = createCodexAdapter();
  let world: RealCliWorld;
  let identity: string;
  const userMessages = (): string[] =>
    readAllUnder(codexSessionsDir(world.sb.env))
      .split('\n')
      .filter((l) => l.includes(MARK))
      .map((l) => JSON.parse(l))
      .filter((r) => r.type === 'response_item' && r.payload?.role === 'user')
      .flatMap((r) => r.payload.content.map((c: { text?: string }) => c.text ?? ''));
  const paneLog = () => path.join(world.sb.paths.paneLogDir, `${identity}.log`);
  const activity = () => adapter.lastActivityMs({ cwd: world.cwd, paneLog: '/unused', env: world.sb.env });

  beforeAll(() => {
    world = makeRealCliWorld('codex', { IAPEER_CODEX_BIN: CODEX_DEV_BIN, OPENAI_API_KEY: 'sk-iapeer-test-dummy-key-000000' });
    execFileSync('git', ['init', '-q', world.cwd]);
    identity = world.ctx().identity;
  });
  afterAll(async () => {
    await world?.close();
  });

  it('boots with the §7.8 argv and walks the sign-in path and the folder trust itself', async () => {
    const argv = await world.spawn(adapter, world.ctx());
    expect(argv).toEqual([CODEX_DEV_BIN, '--no-alt-screen', '-C', world.cwd, '--dangerously-bypass-approvals-and-sandbox']);

    const boot = await bootUntilReady(world.tmux, identity, adapter, BOOT_MS);

    // Codex can drop a key that arrives right after a screen change; the boot loop then
    // answers the same screen again on its next pass, so count each screen once.
    const screens = boot.answered.filter((n, i) => n !== boot.answered[i - 1]);
    expect(screens).toEqual(['sign-in-cursor', 'sign-in-another-way', 'use-api-key', 'save-api-key', 'trust-folder']);
    expect(boot.pane).toMatch(/^› /m);
  });

  it('deliver() right after boot, before codex has started: reported delivered, and it lands exactly once (issue 14 item 6)', async () => {
    expect(activity()).toBeNull();

    const res = await deliver({ tmux: world.tmux, identity, adapter, text: ENVELOPE, cfg: loadConfig(world.sb.env), paneLog: paneLog(), cwd: world.cwd, env: world.sb.env });

    traceEarlySubmit('codex', fs.readFileSync(paneLog(), 'utf8'), 'delivered');
    // Reported delivered although codex had not started: it held the submit ("Waiting for
    // startup", the 4 s submit window alone would have said NOT delivered) or queued it as
    // a follow-up. Either way it must land, once.
    expect(res).toEqual({ ok: true, confirmedBy: 'input-cleared' });
    expect(inputArea(await world.tmux.capture(identity), '›')).not.toContain(MARK);
    await waitFor(() => userMessages().length > 0, 'the envelope in the codex session rollout', STEP_MS);
    expect(userMessages()).toEqual([ENVELOPE]);
  });

  it('the rollout is the activity signal (lastActivityMs), and resolveResume finds the session of this cwd', async () => {
    const first = await waitFor(() => activity(), 'codex activity', STEP_MS);
    expect(first).toBeGreaterThan(0);
    const resume = adapter.resolveResume(world.cwd, world.sb.env);
    expect(resume.ok).toBe(true);
    expect(resume.ok && readAllUnder(codexSessionsDir(world.sb.env))).toContain(`"id":"${resume.ok ? resume.ref : ''}"`);
  });

  it('interrupt (Escape) stops the failing turn', async () => {
    await waitFor(async () => /esc to interrupt/.test(await world.tmux.capture(identity)), 'the turn running (reconnecting offline)', STEP_MS);
    const before = activity() ?? 0;

    await world.tmux.sendKeys(identity, adapter.controls.interrupt);

    await waitFor(async () => /Conversation interrupted/.test(await world.tmux.capture(identity)), '"Conversation interrupted"', STEP_MS);
    await waitFor(() => (activity() ?? 0) > before && readAllUnder(codexSessionsDir(world.sb.env)).includes('"turn_aborted"'), 'turn_aborted in the rollout', STEP_MS);
  });

  it('compact (/compact + Enter) reaches codex', async () => {
    await typeAndSubmit(world.tmux, identity, adapter, adapter.controls.compact.text, adapter.controls.compact.keys, STEP_MS);

    await waitFor(async () => /Compacting context|compact task/.test(await world.tmux.capture(identity)), 'codex compacting (or failing to, offline)', STEP_MS);
  });

  it('resume: `resume --last` is accepted and brings the conversation back', async () => {
    await world.tmux.kill(identity);
    await waitFor(async () => !(await world.tmux.isAlive(identity)), 'the first session gone', STEP_MS);

    const argv = await world.spawn(adapter, world.ctx({ resume: true }));
    expect(argv.slice(0, 3)).toEqual([CODEX_DEV_BIN, 'resume', '--last']);
    const boot = await bootUntilReady(world.tmux, identity, adapter, BOOT_MS);

    expect(boot.answered).toEqual([]);
    await waitFor(async () => (await world.tmux.capture(identity)).includes(MARK), 'the earlier envelope in the resumed conversation', STEP_MS);
  });
});
