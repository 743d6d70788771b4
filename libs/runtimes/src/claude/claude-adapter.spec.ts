import fs from 'node:fs';
import path from 'node:path';
import { makeTempHome, type TempHome } from '../testing/temp-home';
import type { LaunchContext } from '../adapter';
import { createClaudeAdapter } from './claude-adapter';
import { claudeProjectSlug, claudeTranscriptDir } from './claude-transcripts';

describe('claude adapter', () => {
  let sb: TempHome;
  let cwd: string;
  const ctx = (over: Partial<LaunchContext> = {}): LaunchContext => ({ cwd, identity: 'claude-ada', personality: 'ada', resume: false, env: sb.env, ...over });

  beforeEach(() => {
    sb = makeTempHome();
    cwd = path.join(sb.dir, 'my.proj_1');
    fs.mkdirSync(cwd);
  });
  afterEach(() => sb.cleanup());

  it('builds the §7.8 argv for a fresh session, the bin from IAPEER_CLAUDE_BIN', () => {
    const adapter = createClaudeAdapter();
    expect(adapter.buildArgv(ctx({ env: { ...sb.env, IAPEER_CLAUDE_BIN: '/opt/claude' } }))).toEqual([
      '/opt/claude', '--dangerously-skip-permissions', '--disallowedTools', 'AskUserQuestion', '--add-dir', '/',
    ]);
  });

  it('defaults to `claude` on PATH, appends the system prompt file, --continue on resume, then extra args', () => {
    const env = { ...sb.env };
    delete env.IAPEER_CLAUDE_BIN;
    const adapter = createClaudeAdapter({ extraArgs: ['--model', 'opus'] });
    expect(adapter.buildArgv(ctx({ env, resume: true, systemPromptFile: '/s/p.md' }))).toEqual([
      'claude', '--dangerously-skip-permissions', '--disallowedTools', 'AskUserQuestion', '--add-dir', '/',
      '--append-system-prompt-file', '/s/p.md', '--continue', '--model', 'opus',
    ]);
  });

  it('an explicit bin option wins over the env', () => {
    expect(createClaudeAdapter({ bin: '/x/claude' }).buildArgv(ctx({ env: { IAPEER_CLAUDE_BIN: '/y' } }))[0]).toBe('/x/claude');
  });

  it('sets IS_SANDBOX=1 only as root (Claude Code refuses the bypass flag as root otherwise)', () => {
    expect(createClaudeAdapter({ isRoot: () => true }).buildEnv(ctx())).toEqual({ IS_SANDBOX: '1' });
    expect(createClaudeAdapter({ isRoot: () => false }).buildEnv(ctx())).toEqual({});
  });

  it('has the ❯ glyph, Escape to interrupt and /compact + Enter to compact', () => {
    const adapter = createClaudeAdapter();
    expect(adapter).toMatchObject({ name: 'claude', kind: 'tui', promptGlyph: '❯' });
    expect(adapter.controls).toEqual({ interrupt: ['Escape'], compact: { text: '/compact', keys: ['Enter'] } });
  });

  it('slugs the canonical cwd with every non-alphanumeric as -', () => {
    expect(claudeProjectSlug(cwd)).toBe(fs.realpathSync(cwd).replace(/[^a-zA-Z0-9]/g, '-'));
    expect(claudeProjectSlug(cwd)).toMatch(/-my-proj-1$/);
    expect(claudeTranscriptDir(cwd, sb.env)).toBe(path.join(sb.home, '.claude', 'projects', claudeProjectSlug(cwd)));
    expect(claudeTranscriptDir(cwd, { ...sb.env, CLAUDE_CONFIG_DIR: '/cfg' })).toBe(path.join('/cfg', 'projects', claudeProjectSlug(cwd)));
  });

  it('cannot resume without a transcript, and says where it looked', () => {
    const r = createClaudeAdapter().resolveResume(cwd, sb.env);
    expect(r).toEqual({ ok: false, reason: `nothing to resume: no claude transcript in ${claudeTranscriptDir(cwd, sb.env)}` });
    expect(createClaudeAdapter().lastActivityMs({ cwd, paneLog: '/nope', env: sb.env })).toBeNull();
  });

  it('resumes the newest transcript (its uuid is the ref) and takes its mtime as activity', () => {
    const dir = claudeTranscriptDir(cwd, sb.env);
    fs.mkdirSync(path.join(dir, 'memory'), { recursive: true });
    const older = path.join(dir, '11111111-1111-4111-8111-111111111111.jsonl');
    const newer = path.join(dir, '22222222-2222-4222-8222-222222222222.jsonl');
    fs.writeFileSync(older, '{}\n');
    fs.writeFileSync(newer, '{}\n');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a transcript');
    fs.utimesSync(older, new Date(1_000_000), new Date(1_000_000));
    fs.utimesSync(newer, new Date(2_000_000), new Date(2_000_000));
    const adapter = createClaudeAdapter();
    expect(adapter.resolveResume(cwd, sb.env)).toEqual({ ok: true, ref: '22222222-2222-4222-8222-222222222222' });
    expect(adapter.lastActivityMs({ cwd, paneLog: '/nope', env: sb.env })).toBe(2_000_000);
  });

  it('counts compact_boundary records in the newest transcripts: what compact waits on (§6.5)', () => {
    const dir = claudeTranscriptDir(cwd, sb.env);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, '33333333-3333-4333-8333-333333333333.jsonl');
    const adapter = createClaudeAdapter();
    const ctx = { cwd, paneLog: '/nope', env: sb.env };
    fs.writeFileSync(file, '{"type":"user","message":{"content":"say \\"subtype\\":\\"compact_boundary\\""}}\n');
    expect(adapter.compactions!(ctx)).toBe(0); // the words inside a message are escaped: not a record
    fs.appendFileSync(file, '{"type":"system","subtype":"compact_boundary","content":"Conversation compacted","compactMetadata":{"trigger":"manual"}}\n');
    expect(adapter.compactions!(ctx)).toBe(1);
  });
});
