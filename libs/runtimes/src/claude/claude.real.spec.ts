import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from '../testing/temp-home';
import { bootUntilReady, inputArea, pasteAndSubmit, typeAndSubmit } from '../testing/agent-session';
import { CLAUDE_DEV_BIN, makeRealCliWorld, readAllUnder, type RealCliWorld } from '../testing/real-cli';
import { createClaudeAdapter } from './claude-adapter';
import { claudeTranscriptDir } from './claude-transcripts';

/**
 * The claude adapter against the REAL Claude Code 2.1.197 (devDependency) in tmux,
 * with a throw-away HOME and a dummy key. The steps share one session, in order:
 * boot → deliver → activity → interrupt → compact → resume.
 */
const BOOT_MS = 90_000;
const STEP_MS = 30_000;
jest.setTimeout(180_000);

const ENVELOPE = [
  '<iap-message from="bob" runtime="codex" topic="claude-real-test">',
  '<![CDATA[first line of the claude real test',
  'second line with "quotes" & <angle> brackets',
  ']]>',
  '</iap-message>',
].join('\n');

describe('claude adapter × real Claude Code', () => {
  const adapter = createClaudeAdapter();
  let world: RealCliWorld;
  let identity: string;

  beforeAll(() => {
    world = makeRealCliWorld('claude', {
      IAPEER_CLAUDE_BIN: CLAUDE_DEV_BIN,
      ANTHROPIC_API_KEY: 'sk-ant-iapeer-test-dummy-key-000000',
      // The devDependency binary must never try to replace itself.
      DISABLE_AUTOUPDATER: '1',
    });
    // docs/notes/stack.md: a fresh HOME makes the first start check connectivity and stop (offline).
    // Only that is seeded; trust, API-key and bypass dialogs are answered by the adapter.
    fs.writeFileSync(path.join(world.sb.home, '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true }));
    identity = world.ctx().identity;
  });
  afterAll(async () => {
    await world?.close();
  });

  it('boots with the §7.8 argv and answers the trust, API-key and bypass dialogs itself', async () => {
    const promptFile = path.join(world.sb.dir, 'system-prompt.md');
    fs.writeFileSync(promptFile, 'You are ada, a test peer.\n');
    const argv = await world.spawn(adapter, world.ctx({ systemPromptFile: promptFile }));
    expect(argv).toEqual([CLAUDE_DEV_BIN, '--dangerously-skip-permissions', '--disallowedTools', 'AskUserQuestion', '--add-dir', '/', '--append-system-prompt-file', promptFile]);

    const boot = await bootUntilReady(world.tmux, identity, adapter, BOOT_MS);

    // A screen answered again because the TUI had not redrawn yet counts once.
    const screens = boot.answered.filter((n, i) => n !== boot.answered[i - 1]);
    expect(screens).toEqual(['trust-folder', 'api-key-confirm-cursor', 'api-key-confirm', 'bypass-confirm-cursor', 'bypass-confirm']);
    expect(boot.pane).toMatch(/bypass permissions on/);
  });

  it('a pasted multi-line envelope is submitted: the input row clears and the transcript records it', async () => {
    // Before the first turn there is no transcript: no activity yet.
    expect(adapter.lastActivityMs({ cwd: world.cwd, paneLog: '/unused', env: world.sb.env })).toBeNull();

    const pane = await pasteAndSubmit(world.tmux, identity, adapter, ENVELOPE, STEP_MS);

    expect(inputArea(pane, '❯').split('\n')[0].trim()).toBe('❯');
    const transcriptText = await waitFor(() => readAllUnder(claudeTranscriptDir(world.cwd, world.sb.env)), 'a claude transcript', STEP_MS);
    const user = await waitFor(
      () => readAllUnder(claudeTranscriptDir(world.cwd, world.sb.env)).split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((r) => r.type === 'user' && r.message?.content === ENVELOPE),
      'the envelope as a user record in the transcript',
      STEP_MS,
    );
    expect(transcriptText.length).toBeGreaterThan(0);
    expect(user.cwd).toBe(fs.realpathSync(world.cwd));
  });

  it("the transcript is the activity signal (lastActivityMs), and resolveResume names it", () => {
    const dir = claudeTranscriptDir(world.cwd, world.sb.env);
    const [file] = fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl'));

    expect(adapter.lastActivityMs({ cwd: world.cwd, paneLog: '/unused', env: world.sb.env })).toBe(fs.statSync(path.join(dir, file)).mtimeMs);
    expect(adapter.resolveResume(world.cwd, world.sb.env)).toEqual({ ok: true, ref: path.basename(file, '.jsonl') });
  });

  it('interrupt (Escape) stops the failing turn; claude puts the message back in the input', async () => {
    await waitFor(async () => /Retrying in|Unable to connect to API/.test(await world.tmux.capture(identity)), 'the turn retrying offline', STEP_MS);

    await world.tmux.sendKeys(identity, adapter.controls.interrupt);

    const pane = await waitFor(async () => {
      const p = await world.tmux.capture(identity);
      return !/Retrying in/.test(p) && inputArea(p, '❯').includes('first line of the claude real test') ? p : null;
    }, 'the spinner gone and the message restored to the input', STEP_MS);
    expect(pane).not.toMatch(/Retrying in/);
  });

  it('compact (/compact + Enter) reaches claude and is recorded as a command', async () => {
    // Empty the restored input first (claude: Escape twice), as a person would.
    await world.tmux.sendKeys(identity, ['Escape']);
    await waitFor(async () => /Esc again to clear/.test(await world.tmux.capture(identity)), '"Esc again to clear"', STEP_MS);
    await world.tmux.sendKeys(identity, ['Escape']);
    await waitFor(async () => inputArea(await world.tmux.capture(identity), '❯').split('\n')[0].trim() === '❯', 'an empty input row', STEP_MS);

    await typeAndSubmit(world.tmux, identity, adapter, adapter.controls.compact.text, adapter.controls.compact.keys, STEP_MS);

    await waitFor(() => readAllUnder(claudeTranscriptDir(world.cwd, world.sb.env)).includes('<command-name>/compact</command-name>'), 'the /compact command in the transcript', STEP_MS);
  });

  it('resume: --continue is accepted after the first session wrote a transcript and brings the conversation back', async () => {
    const resume = adapter.resolveResume(world.cwd, world.sb.env);
    expect(resume.ok).toBe(true);
    await world.tmux.kill(identity);
    await waitFor(async () => !(await world.tmux.isAlive(identity)), 'the first session gone', STEP_MS);

    const argv = await world.spawn(adapter, world.ctx({ resume: true }));
    expect(argv.slice(-1)).toEqual(['--continue']);
    const boot = await bootUntilReady(world.tmux, identity, adapter, BOOT_MS);

    // The trust and API-key answers were remembered: no dialog this time.
    expect(boot.answered).toEqual([]);
    // The earlier conversation is on screen: this is the continued session, not a fresh one.
    await waitFor(async () => /\/compact/.test(await world.tmux.capture(identity)), 'the earlier /compact in the resumed conversation', STEP_MS);
  });
});
