import fs from 'node:fs';
import path from 'node:path';
import { makeTempHome, type TempHome } from '../testing/temp-home';
import type { LaunchContext } from '../adapter';
import { createCodexAdapter } from './codex-adapter';
import { codexSessionsDir } from './codex-sessions';

function writeRollout(dir: string, name: string, meta: { id: string; cwd: string }, mtimeMs: number): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  const first = JSON.stringify({ timestamp: 't', type: 'session_meta', payload: { id: meta.id, cwd: meta.cwd, base_instructions: { text: 'x'.repeat(100_000) } } });
  fs.writeFileSync(file, `${first}\n{"type":"event_msg"}\n`);
  fs.utimesSync(file, new Date(mtimeMs), new Date(mtimeMs));
  return file;
}

describe('codex adapter', () => {
  let sb: TempHome;
  let cwd: string;
  const ctx = (over: Partial<LaunchContext> = {}): LaunchContext => ({ cwd, identity: 'codex-ada', personality: 'ada', resume: false, env: sb.env, ...over });

  beforeEach(() => {
    sb = makeTempHome();
    cwd = path.join(sb.dir, 'proj');
    fs.mkdirSync(cwd);
  });
  afterEach(() => sb.cleanup());

  it('builds the §7.8 argv for a fresh session, the bin from IAPEER_CODEX_BIN', () => {
    expect(createCodexAdapter().buildArgv(ctx({ env: { ...sb.env, IAPEER_CODEX_BIN: '/opt/codex' } }))).toEqual([
      '/opt/codex', '--no-alt-screen', '-C', cwd, '--dangerously-bypass-approvals-and-sandbox',
    ]);
  });

  it('puts `resume --last` first, passes the instructions file as a TOML string, then extra args', () => {
    const env = { ...sb.env };
    delete env.IAPEER_CODEX_BIN;
    expect(createCodexAdapter({ extraArgs: ['-m', 'o9'] }).buildArgv(ctx({ env, resume: true, systemPromptFile: '/s/my "p".md' }))).toEqual([
      'codex', 'resume', '--last', '--no-alt-screen', '-C', cwd, '-c', 'model_instructions_file="/s/my \\"p\\".md"',
      '--dangerously-bypass-approvals-and-sandbox', '-m', 'o9',
    ]);
  });

  it('gives the session the public bearer stub and passes OPENAI_API_KEY through for the sign-in field', () => {
    expect(createCodexAdapter().buildEnv(ctx({ env: { HOME: sb.home } }))).toEqual({ IAPEER_BEARER: 'iapeer-localhost-open-no-secret' });
    expect(createCodexAdapter().buildEnv(ctx({ env: { HOME: sb.home, OPENAI_API_KEY: 'sk-x' } }))).toEqual({
      IAPEER_BEARER: 'iapeer-localhost-open-no-secret',
      OPENAI_API_KEY: 'sk-x',
    });
  });

  it('has the › glyph, Escape to interrupt and /compact + Enter to compact', () => {
    const adapter = createCodexAdapter();
    expect(adapter).toMatchObject({ name: 'codex', kind: 'tui', promptGlyph: '›' });
    expect(adapter.controls).toEqual({ interrupt: ['Escape'], compact: { text: '/compact', keys: ['Enter'] } });
  });

  it('reads sessions from $CODEX_HOME/sessions, else $HOME/.codex/sessions', () => {
    expect(codexSessionsDir({ HOME: '/h' })).toBe('/h/.codex/sessions');
    expect(codexSessionsDir({ HOME: '/h', CODEX_HOME: '/c' })).toBe('/c/sessions');
  });

  it('cannot resume without a session of this cwd, and says where it looked', () => {
    writeRollout(path.join(codexSessionsDir(sb.env), '2026', '01', '02'), 'rollout-a.jsonl', { id: 'other', cwd: sb.dir }, 1_000_000);
    expect(createCodexAdapter().resolveResume(cwd, sb.env)).toEqual({
      ok: false,
      reason: `nothing to resume: no codex session for ${cwd} in ${codexSessionsDir(sb.env)}`,
    });
    expect(createCodexAdapter().lastActivityMs({ cwd, paneLog: '/nope', env: sb.env })).toBeNull();
  });

  it('finds the newest session whose session_meta cwd is this cwd (long first line), and its mtime is activity', () => {
    const day = path.join(codexSessionsDir(sb.env), '2026', '01', '02');
    writeRollout(day, 'rollout-1.jsonl', { id: 'mine-old', cwd }, 1_000_000);
    writeRollout(day, 'rollout-2.jsonl', { id: 'mine-new', cwd: fs.realpathSync(cwd) }, 3_000_000);
    writeRollout(day, 'rollout-3.jsonl', { id: 'theirs', cwd: sb.dir }, 9_000_000);
    fs.writeFileSync(path.join(day, 'rollout-4.jsonl'), '{"type":"session_meta","payload":{"cwd":'); // being written
    const adapter = createCodexAdapter();
    expect(adapter.resolveResume(cwd, sb.env)).toEqual({ ok: true, ref: 'mine-new' });
    expect(adapter.lastActivityMs({ cwd, paneLog: '/nope', env: sb.env })).toBe(3_000_000);
  });

  it('sees a session that advances after it was first indexed', () => {
    const day = path.join(codexSessionsDir(sb.env), '2026', '01', '02');
    const file = writeRollout(day, 'rollout-1.jsonl', { id: 's', cwd }, 1_000_000);
    const adapter = createCodexAdapter();
    expect(adapter.lastActivityMs({ cwd, paneLog: '/nope', env: sb.env })).toBe(1_000_000);
    fs.utimesSync(file, new Date(5_000_000), new Date(5_000_000));
    expect(adapter.lastActivityMs({ cwd, paneLog: '/nope', env: sb.env })).toBe(5_000_000);
  });

  it('counts context_compacted events and compacted records in the newest session of the cwd (§6.5)', () => {
    const day = path.join(codexSessionsDir(sb.env), '2026', '01', '02');
    const adapter = createCodexAdapter();
    const ctx = { cwd, paneLog: '/nope', env: sb.env };
    expect(adapter.compactions!(ctx)).toBe(0); // no session yet
    const file = writeRollout(day, 'rollout-1.jsonl', { id: 's', cwd }, 1_000_000);
    expect(adapter.compactions!(ctx)).toBe(0);
    fs.appendFileSync(file, '{"type":"compacted","payload":{"message":""}}\n{"type":"event_msg","payload":{"type":"context_compacted"}}\n');
    expect(adapter.compactions!(ctx)).toBe(2);
  });
});
