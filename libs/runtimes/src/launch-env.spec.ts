import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TmuxDriver } from '@iapeer/tmux';
import { launch } from './launch';
import { launchEnvPath, parseLaunchEnv, readLaunchEnv } from './launch-env';
import { loadRuntimes } from './load-runtimes';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iapr-env-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const FILE = '/p/.iapeer/runtimes/claude/launch.env';

describe('parseLaunchEnv (§3.3)', () => {
  it('reads KEY=VALUE and export KEY=VALUE, strips matching quotes, skips blanks and comments', () => {
    const text = ['# a comment', '', 'A=1', 'export B="two words"', "C='single'", '  D=  spaced  ', 'E=', 'F="x"', 'G=a=b', 'A=last'].join('\n');
    expect(parseLaunchEnv(text, FILE)).toEqual({ file: FILE, env: { A: 'last', B: 'two words', C: 'single', D: 'spaced', E: '', F: 'x', G: 'a=b' }, startArgs: [] });
  });

  it('keeps a quote that is not a surrounding pair, and CRLF line ends', () => {
    expect(parseLaunchEnv('A=it\'s\r\nB="a"b"\r\nC=x"\r\n', FILE).env).toEqual({ A: "it's", B: 'a"b', C: 'x"' });
  });

  it('splits PEER_START_ARGS on whitespace and keeps it out of the env', () => {
    expect(parseLaunchEnv('PEER_START_ARGS="--model  opus\t--verbose"\nX=1', FILE)).toEqual({ file: FILE, env: { X: '1' }, startArgs: ['--model', 'opus', '--verbose'] });
    expect(parseLaunchEnv('PEER_START_ARGS=', FILE).startArgs).toEqual([]);
  });

  it.each([
    ['no =', 'just words', 'expected KEY=VALUE (or export KEY=VALUE)'],
    ['an empty name', '=x', 'expected KEY=VALUE (or export KEY=VALUE)'],
    ['a space before =', 'KEY =x', '"KEY " is not a variable name (letters, digits and _, not starting with a digit; no spaces around =)'],
    ['a name with a dash', 'MY-KEY=x', '"MY-KEY" is not a variable name (letters, digits and _, not starting with a digit; no spaces around =)'],
    ['a leading digit', '1A=x', '"1A" is not a variable name (letters, digits and _, not starting with a digit; no spaces around =)'],
    ['an unclosed quote', 'A="open', 'the value of A opens a quote that is not closed at the end of the line'],
    ['a lone quote', "A='", 'the value of A opens a quote that is not closed at the end of the line'],
    ['the identity ABI', 'PEER_IDENTITY=claude-x', 'PEER_IDENTITY cannot be set in launch.env: the identity ABI is set by iapeer for every session'],
    ['the personality', 'export PEER_PERSONALITY=x', 'PEER_PERSONALITY cannot be set in launch.env: the identity ABI is set by iapeer for every session'],
    ['the runtime', 'PEER_RUNTIME=x', 'PEER_RUNTIME cannot be set in launch.env: the identity ABI is set by iapeer for every session'],
    ['the session token', 'IAPEER_PEER_TOKEN=x', 'IAPEER_PEER_TOKEN cannot be set in launch.env: the session token is minted by iapeer for every session'],
    ['TMUX', 'TMUX=/tmp/x', 'TMUX cannot be set in launch.env: tmux sets it for the session'],
  ])('refuses %s with LAUNCH_ENV_INVALID naming the file and line', (_name, bad, why) => {
    const err = (() => {
      try {
        parseLaunchEnv(`# first\nOK=1\n${bad}\nLATER=2\n`, FILE);
      } catch (e) {
        return e;
      }
      throw new Error('expected a refusal');
    })();
    expect(err).toMatchObject({ code: 'LAUNCH_ENV_INVALID', message: `${FILE} line 3: ${why}; nothing was launched — fix or remove the line` });
  });

  it('never echoes the value of a bad line (the file may hold a secret)', () => {
    expect(() => parseLaunchEnv('sk-secret-token-value', FILE)).toThrow(/^(?!.*sk-secret)/);
  });
});

describe('readLaunchEnv', () => {
  it('reads <cwd>/.iapeer/runtimes/<rt>/launch.env; a missing file is empty', () => {
    const cwd = fs.mkdtempSync(path.join(dir, 'peer-'));
    expect(readLaunchEnv(cwd, 'claude')).toEqual({ file: path.join(cwd, '.iapeer', 'runtimes', 'claude', 'launch.env'), env: {}, startArgs: [] });
    fs.mkdirSync(path.dirname(launchEnvPath(cwd, 'claude')), { recursive: true });
    fs.writeFileSync(launchEnvPath(cwd, 'claude'), 'export FOO=bar\n');
    expect(readLaunchEnv(cwd, 'claude').env).toEqual({ FOO: 'bar' });
    expect(readLaunchEnv(cwd, 'codex').env).toEqual({}); // per runtime
  });

  it('refuses an unreadable file (a directory in its place)', () => {
    const cwd = fs.mkdtempSync(path.join(dir, 'peer-'));
    fs.mkdirSync(launchEnvPath(cwd, 'claude'), { recursive: true });
    expect(() => readLaunchEnv(cwd, 'claude')).toThrow(expect.objectContaining({ code: 'LAUNCH_ENV_INVALID', message: `${launchEnvPath(cwd, 'claude')}: cannot be read (EISDIR); nothing was launched` }));
  });
});

describe('launch() applies launch.env (§7.8 step 4)', () => {
  const runtimesDir = path.join(dir, 'runtimes');
  fs.mkdirSync(path.join(runtimesDir, 'tool'), { recursive: true });
  fs.writeFileSync(path.join(runtimesDir, 'tool', 'runtime.json'), JSON.stringify({ runtime: 'tool', kind: 'router', command: '/bin/sh', args: ['-c', 'x'], promptGlyph: '>', readyPattern: '^>' }));
  const { adapters } = loadRuntimes({ paths: { runtimesDir }, env: {} });
  const cfg = { bootDeadlineSecs: 1, readyGateSecs: 1, submitTimeoutMs: 100, pasteVisibleMs: 100, submitWindowMs: 50, livenessGraceMs: 100, pasteSettleMs: 1 };
  const spawned = async (base: Record<string, string>, launchEnv?: { env: Record<string, string>; startArgs: string[] }) => {
    const seen: Array<{ env: Record<string, string>; argv: string[] }> = [];
    const tmux = { kill: async () => undefined, spawn: async (s: { env: Record<string, string>; argv: string[] }) => void seen.push(s) } as unknown as TmuxDriver;
    const spec = { cwd: dir, identity: 'tool-bot', personality: 'bot', resume: false, env: base, paneLog: path.join(dir, 'p.log'), launchEnv };
    expect(await launch({ spec, adapter: adapters.get('tool')!, tmux, cfg })).toMatchObject({ status: 'READY' });
    return seen[0];
  };

  it('adds its keys over the base env and appends PEER_START_ARGS to the argv', async () => {
    const s = await spawned({ KEEP: '1', OVER: 'base' }, { env: { OVER: 'file', NEW: 'n' }, startArgs: ['--model', 'opus'] });
    expect(s.env).toMatchObject({ KEEP: '1', OVER: 'file', NEW: 'n' });
    expect(s.argv).toEqual(['/bin/sh', '-c', 'x', '--model', 'opus']);
  });

  it('lets a peer set a CLAUDE_CODE_* of its own, while an inherited one is still stripped', async () => {
    const s = await spawned({ CLAUDE_CODE_ENTRYPOINT: 'parent' }, { env: { CLAUDE_CODE_MAX_OUTPUT_TOKENS: '9' }, startArgs: [] });
    expect(s.env).toMatchObject({ CLAUDE_CODE_MAX_OUTPUT_TOKENS: '9' });
    expect(s.env).not.toHaveProperty('CLAUDE_CODE_ENTRYPOINT');
  });

  it('without launch.env the argv is the runtime own', async () => {
    expect((await spawned({})).argv).toEqual(['/bin/sh', '-c', 'x']);
  });
});
