import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TmuxDriver } from '@iapeer/tmux';
import { globToRegExp, newestMatchMtime } from './activity-glob';
import { BUILTIN_TUI_ADAPTERS } from './builtins';
import { sendCompact, sendInterrupt } from './control';
import { terminalSafe } from './deliver';
import { launch } from './launch';
import { loadRuntimes } from './load-runtimes';
import { createManifestAdapter } from './manifest-adapter';
import { RuntimeManifestSchema } from './manifest-schema';
import { inputCleared, lastNonEmptyLine, showsPaste } from './pane-text';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iapr-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const good = { runtime: 'aider', kind: 'tui', command: '/bin/sh', args: ['--cwd', '{cwd}', '{systemPromptFile}'], resumeArgs: ['--continue'], promptGlyph: '>', readyPattern: '^>', activity: 'logs/*.jsonl' };

function root(manifests: Record<string, unknown>): { runtimesDir: string } {
  const r = fs.mkdtempSync(path.join(dir, 'root-'));
  for (const [name, m] of Object.entries(manifests)) {
    fs.mkdirSync(path.join(r, name), { recursive: true });
    fs.writeFileSync(path.join(r, name, 'runtime.json'), typeof m === 'string' ? m : JSON.stringify(m));
  }
  return { runtimesDir: r };
}

describe('loadRuntimes', () => {
  it('offers claude, codex, the router runtimes and a valid manifest runtime', () => {
    const { adapters, problems } = loadRuntimes({ paths: root({ aider: good }), env: {} });
    expect(problems).toEqual([]);
    expect([...adapters.keys()].sort()).toEqual(['aider', 'claude', 'codex', 'notifier', 'telegram']);
    expect(Object.keys(BUILTIN_TUI_ADAPTERS).sort()).toEqual(['claude', 'codex']);
    expect(adapters.get('claude')!.kind).toBe('tui');
    const a = adapters.get('aider')!;
    expect(a.buildArgv({ cwd: '/w', identity: 'aider-x', personality: 'x', resume: false, env: {} })).toEqual(['/bin/sh', '--cwd', '/w']);
    expect(a.buildArgv({ cwd: '/w', identity: 'aider-x', personality: 'x', resume: true, systemPromptFile: '/p.md', env: {} })).toEqual(['/bin/sh', '--cwd', '/w', '/p.md', '--continue']);
  });

  it.each([
    ['bad JSON', '{ nope', null, /not valid JSON/],
    ['a missing field', { ...good, promptGlyph: undefined }, 'promptGlyph', /field "promptGlyph"/],
    ['a bad regex', { ...good, readyPattern: '(' }, 'readyPattern', /not a valid JavaScript regular expression/],
    ['a bad dialog', { ...good, bootDialogs: [{ match: 'x', keys: [] }] }, 'bootDialogs.0.keys', /field "bootDialogs.0.keys"/],
    ['an unknown key', { ...good, colour: 'red' }, 'colour', /field "colour"/],
    ['a runtime name with a dash', { ...good, runtime: 'my-agent' }, 'runtime', /no dashes/],
    ['an absolute activity glob', { ...good, activity: '/etc/*' }, 'activity', /relative to the peer cwd/],
    ['a missing command', { ...good, command: '/nonexistent/agent' }, 'command', /does not exist or is not executable/],
    // §7.8 "Manifest patterns that cannot work are refused at load"
    ['a readyPattern that needs a trailing space', { ...good, readyPattern: '^❯ ' }, 'readyPattern', /field "readyPattern": pattern "\^❯ " ends in whitespace .*tmux trims .*drop the trailing whitespace \("\^❯"\)/],
    ['a readyPattern with a space before $', { ...good, readyPattern: '> $' }, 'readyPattern', /field "readyPattern": pattern "> \$" requires whitespace at the end of a row .*can never match/],
    ['a busyPattern that matches an empty screen', { ...good, busyPattern: '^\\s*$' }, 'busyPattern', /field "busyPattern": pattern .* matches an empty screen/],
    ['a waitingPattern that needs a trailing space', { ...good, waitingPattern: '^\\s+❯ \\d+\\. ' }, 'waitingPattern', /field "waitingPattern": pattern .* ends in whitespace/],
    ['a boot dialog that matches an empty screen', { ...good, bootDialogs: [{ match: '.*', keys: ['Enter'] }] }, 'bootDialogs.0.match', /field "bootDialogs.0.match": pattern "\.\*" matches an empty screen/],
  ])('reports %s with its path and field; the runtime is unavailable', (_name, manifest, field, why) => {
    const paths = root({ aider: manifest });
    const { adapters, problems } = loadRuntimes({ paths, env: {} });
    expect(adapters.has('aider')).toBe(false);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'RUNTIME_MANIFEST_INVALID', runtime: 'aider', path: path.join(paths.runtimesDir, 'aider', 'runtime.json'), field });
    expect(problems[0].message).toMatch(why);
    expect(problems[0].message.startsWith(problems[0].path)).toBe(true);
  });

  it('refuses a manifest in a directory of another name, and one that shadows a built-in', () => {
    const { problems } = loadRuntimes({ paths: root({ other: good, telegram: { ...good, runtime: 'telegram' } }), env: {} });
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/"runtime": is "aider" but the manifest lives in runtimes\/other\//), expect.stringMatching(/is a built-in runtime/)]);
  });

  it('lets the agents branch plug built-ins in', () => {
    const fake = { ...loadRuntimes({ paths: root({}), env: {} }).adapters.get('notifier')!, name: 'claude', kind: 'tui' as const };
    const { adapters } = loadRuntimes({ paths: root({}), env: {}, builtins: { claude: () => fake } });
    expect(adapters.get('claude')).toBe(fake);
  });

  it('builds router argv from the env and requires natural intelligence for telegram', () => {
    const { adapters } = loadRuntimes({ paths: root({}), env: { TELEGRAM_RUNTIME_BIN: '/opt/tg' } });
    const tg = adapters.get('telegram')!;
    expect(tg.buildArgv({ cwd: '/', identity: 'telegram-x', personality: 'x', resume: false, env: {} })).toEqual(['/opt/tg', 'run']);
    expect(tg.requiresIntelligence).toBe('natural');
    expect(adapters.get('notifier')!.buildArgv({ cwd: '/', identity: 'notifier-x', personality: 'x', resume: false, env: {} })).toEqual(['notifier-runtime', 'run']);
  });
});

describe('activity glob', () => {
  it('matches *, ? and ** and returns the newest mtime', () => {
    const cwd = fs.mkdtempSync(path.join(dir, 'act-'));
    fs.mkdirSync(path.join(cwd, 'logs', 'deep'), { recursive: true });
    fs.writeFileSync(path.join(cwd, 'logs', 'a.jsonl'), 'x');
    fs.writeFileSync(path.join(cwd, 'logs', 'deep', 'b.jsonl'), 'x');
    fs.utimesSync(path.join(cwd, 'logs', 'a.jsonl'), 1000, 1000);
    fs.utimesSync(path.join(cwd, 'logs', 'deep', 'b.jsonl'), 2000, 2000);
    expect(newestMatchMtime(cwd, 'logs/*.jsonl')).toBe(1_000_000);
    expect(newestMatchMtime(cwd, 'logs/**/*.jsonl')).toBe(2_000_000);
    expect(newestMatchMtime(cwd, 'nothing/*.x')).toBeNull();
    expect(globToRegExp('a/?.txt').test('a/b.txt')).toBe(true);
    expect(globToRegExp('a/*.txt').test('a/b/c.txt')).toBe(false);
  });

  it('transcriptHolds: a manifest runtime finds a send id in its activity files; without them it cannot tell', () => {
    const cwd = fs.mkdtempSync(path.join(dir, 'holds-'));
    fs.mkdirSync(path.join(cwd, 'logs'), { recursive: true });
    fs.writeFileSync(path.join(cwd, 'logs', 's.jsonl'), JSON.stringify({ text: '<iap from-personality="a" from-runtime="x" id="0123abcd0123abcd">' }) + '\n');
    const adapter = createManifestAdapter(RuntimeManifestSchema.parse(good));
    const args = { cwd, paneLog: path.join(cwd, 'pane.log'), env: {} };
    expect(adapter.transcriptHolds!(args, '0123abcd0123abcd')).toBe(true);
    expect(adapter.transcriptHolds!(args, 'ffffffffffffffff')).toBe(false);
    const noActivity = createManifestAdapter(RuntimeManifestSchema.parse({ ...good, activity: undefined }));
    expect(noActivity.transcriptHolds!(args, '0123abcd0123abcd')).toBeNull();
  });
});

describe('pane reading (§6.3)', () => {
  const g = ['❯'];
  it('finds the paste in the input area (the last glyph row and below), not in history above', () => {
    expect(showsPaste('❯ old line\n  ⎿ done\n❯ hello there', g, 'hello there')).toBe(true);
    expect(showsPaste('❯ hello there\n  ⎿ received\n❯', g, 'hello there')).toBe(false);
    expect(showsPaste('header\n❯ [Pasted text #1 +3 lines]', g, 'whatever')).toBe(true);
    expect(showsPaste('no prompt here hello', g, 'hello')).toBe(false);
  });

  it('calls the input cleared only when a prompt row is there without the paste', () => {
    expect(inputCleared('  ⎿ received\n❯', g, 'hello')).toBe(true);
    expect(inputCleared('❯ hello', g, 'hello')).toBe(false);
    expect(inputCleared('no prompt at all', g, 'hello')).toBe(false);
  });

  it('takes the last non-empty line and makes text terminal-safe', () => {
    expect(lastNonEmptyLine('a\n  b  \n\n')).toBe('b');
    expect(terminalSafe('a\r\nb\rc\x1b[201~d\te')).toBe('a\nb\nc[201~d\te');
  });
});

describe('launch gates and control refusals (no tmux needed)', () => {
  const noTmux = new Proxy({}, { get: () => () => Promise.reject(new Error('tmux must not be touched')) }) as unknown as TmuxDriver;
  const { adapters } = loadRuntimes({ paths: { runtimesDir: path.join(dir, 'none') }, env: {} });
  const cfg = { bootDeadlineSecs: 1, readyGateSecs: 1, submitTimeoutMs: 100, pasteVisibleMs: 100, submitWindowMs: 50, livenessGraceMs: 100, pasteSettleMs: 1 };

  it('refuses to launch telegram for a peer that is not natural', async () => {
    const spec = { cwd: dir, identity: 'telegram-bot', personality: 'bot', resume: false, env: {}, paneLog: path.join(dir, 'p.log'), intelligence: 'artificial' as const };
    expect(await launch({ spec, adapter: adapters.get('telegram')!, tmux: noTmux, cfg })).toEqual({
      status: 'FAILED',
      reason: 'runtime "telegram" requires intelligence=natural, peer "bot" is artificial — refusing to launch',
    });
  });

  it('refuses interrupt and compact for router runtimes', async () => {
    const err = await sendInterrupt({ tmux: noTmux, identity: 'notifier-n', adapter: adapters.get('notifier')! }).catch((e) => e);
    expect(err).toMatchObject({ code: 'CONTROL_UNSUPPORTED', message: 'runtime "notifier" does not support control command "interrupt"' });
    const err2 = await sendCompact({ tmux: noTmux, identity: 'notifier-n', adapter: adapters.get('notifier')! }).catch((e) => e);
    expect(err2.code).toBe('CONTROL_UNSUPPORTED');
  });
});

describe('the session token in the spawned env (issue 9)', () => {
  const { adapters } = loadRuntimes({ paths: { runtimesDir: path.join(dir, 'none') }, env: {} });
  const cfg = { bootDeadlineSecs: 1, readyGateSecs: 1, submitTimeoutMs: 100, pasteVisibleMs: 100, submitWindowMs: 50, livenessGraceMs: 100, pasteSettleMs: 1 };
  // a router runtime returns right after spawn: only the spawn env matters here
  const spawnEnv = async (extra: { sessionToken?: string }) => {
    const seen: Record<string, string>[] = [];
    const tmux = { kill: async () => undefined, spawn: async (s: { env: Record<string, string> }) => void seen.push(s.env) } as unknown as TmuxDriver;
    const spec = { cwd: dir, identity: 'telegram-bot', personality: 'bot', resume: false, env: { KEEP: '1', IAPEER_PEER_TOKEN: 'a-parent-session-token' }, paneLog: path.join(dir, 'p.log'), intelligence: 'natural' as const, ...extra };
    expect(await launch({ spec, adapter: adapters.get('telegram')!, tmux, cfg })).toMatchObject({ status: 'READY' });
    return seen[0];
  };

  it('sessionToken becomes IAPEER_PEER_TOKEN', async () => {
    expect(await spawnEnv({ sessionToken: 'minted' })).toMatchObject({ KEEP: '1', IAPEER_PEER_TOKEN: 'minted' });
  });

  it('an inherited IAPEER_PEER_TOKEN never reaches the child', async () => {
    const env = await spawnEnv({});
    expect(env.KEEP).toBe('1');
    expect(env).not.toHaveProperty('IAPEER_PEER_TOKEN');
  });
});
