import fs from 'node:fs';
import path from 'node:path';
import { makeSandbox, runCli, TestStack, type Sandbox } from '@iapeer/testing';

// `iapeer enable` through the real CLI bundle, with stand-in `claude`/`codex`
// executables first on PATH. They record argv, cwd and PEER_* to a journal, fail the
// first N installs on request, and on success drop the plugin (with its iapeer.json
// and setup script) where the real CLIs keep installed plugins.
const STANDIN = `#!${process.execPath}
const fs = require('node:fs');
const path = require('node:path');
const tool = path.basename(process.argv[1]);
const args = process.argv.slice(2);
const env = process.env;
fs.appendFileSync(env.STANDIN_JOURNAL, JSON.stringify({ tool, args, cwd: process.cwd(), peer: env.PEER_PERSONALITY ?? null }) + '\\n');
const isInstall = (tool === 'claude' && args[1] === 'install') || (tool === 'codex' && args[1] === 'add');
if (!isInstall) process.exit(0);
const counter = path.join(path.dirname(env.STANDIN_JOURNAL), tool + '.installs');
const n = (fs.existsSync(counter) ? Number(fs.readFileSync(counter, 'utf8')) : 0) + 1;
fs.writeFileSync(counter, String(n));
if (n <= Number(env.STANDIN_FAIL_INSTALLS ?? 0)) { console.error('Plugin "' + args[2] + '" not found in any configured marketplace'); process.exit(1); }
const [name, mkt = 'local'] = args[2].split('@');
const dir = tool === 'claude'
  ? path.join(env.HOME, '.claude', 'plugins', 'cache', mkt, name, '1.0.0')
  : path.join(env.HOME, '.codex', 'plugins', 'cache', mkt, name);
fs.mkdirSync(dir, { recursive: true });
if (env.STANDIN_NO_SETUP !== '1') {
  fs.writeFileSync(path.join(dir, 'iapeer.json'), JSON.stringify({ name, setup: ['./setup.js', '--from', tool] }));
  fs.writeFileSync(path.join(dir, 'setup.js'), '#!${process.execPath}\\nrequire("node:fs").appendFileSync(process.env.STANDIN_JOURNAL, JSON.stringify({ tool: "setup", args: process.argv.slice(2), cwd: process.cwd(), peer: process.env.PEER_PERSONALITY, pluginDir: process.env.IAPEER_PLUGIN_DIR }) + "\\\\n");\\nprocess.exit(Number(process.env.STANDIN_SETUP_EXIT ?? 0));\\n', { mode: 0o755 });
} else {
  fs.writeFileSync(path.join(dir, 'iapeer.json'), JSON.stringify({ name }));
}
console.log('✔ Successfully installed plugin: ' + args[2]);
`;

interface Call {
  tool: string;
  args: string[];
  cwd: string;
  peer: string | null;
}

describe('iapeer enable <plugin> [peer] [--no-setup]', () => {
  let sb: Sandbox;
  let stack: TestStack;
  let env: NodeJS.ProcessEnv;
  let journal: string;
  let revCwd: string;

  const writePeer = (personality: string, runtimes: string[]) => {
    const cwd = path.join(sb.dir, 'peers', personality);
    fs.mkdirSync(path.join(cwd, '.iapeer'), { recursive: true });
    fs.writeFileSync(path.join(cwd, '.iapeer', 'peer-profile.json'), JSON.stringify({ personality, default_runtime: runtimes[0], runtimes }));
    return { personality, runtime: runtimes[0], runtimes, cwd };
  };
  const calls = (): Call[] => (fs.existsSync(journal) ? fs.readFileSync(journal, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
  const argvs = () => calls().map((c) => `${c.tool} ${c.args.join(' ')}`);

  beforeEach(async () => {
    sb = makeSandbox();
    const bin = path.join(sb.dir, 'standin-bin');
    fs.mkdirSync(bin);
    for (const tool of ['claude', 'codex']) fs.writeFileSync(path.join(bin, tool), STANDIN, { mode: 0o755 });
    journal = path.join(sb.dir, 'calls.jsonl');
    env = { ...sb.env, PATH: `${bin}:${process.env.PATH}`, STANDIN_JOURNAL: journal };
    const rev = writePeer('rev', ['claude', 'codex', 'fake']);
    revCwd = rev.cwd;
    const bot = writePeer('bot', ['fake']);
    // enable looks peers up through the registry service: it is the one that registers them
    stack = new TestStack(sb);
    await stack.start(['logd', 'registry']);
    const { client } = stack.client('registry');
    for (const p of [bot, rev]) await client.upsert.mutate(p);
  });
  afterEach(async () => {
    await stack.stop();
    sb.cleanup();
  });

  it('installs for claude (project scope, in the peer folder) and codex (host), then runs the setup once', async () => {
    const res = await runCli(['enable', 'review-kit@agfpd', 'rev'], env);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(argvs()).toEqual(['claude plugin install review-kit@agfpd --scope project', 'codex plugin add review-kit@agfpd', 'setup --from codex']);
    expect(calls().every((c) => c.cwd === revCwd)).toBe(true);
    expect(res.stdout).toContain(`enable review-kit@agfpd → rev (${revCwd})`);
    expect(res.stdout).toContain('  claude: installed (project)');
    expect(res.stdout).toContain('  codex: installed (host config)');
    expect(res.stdout).toContain('  fake: skipped (takes no plugins)');
    expect(res.stdout).toContain('enable review-kit@agfpd setup ok');
    expect(calls()[2]).toMatchObject({ peer: 'rev' });
  });

  it('is idempotent: a second run succeeds with the same calls and the same report', async () => {
    const first = await runCli(['enable', 'review-kit@agfpd', 'rev'], env);
    const second = await runCli(['enable', 'review-kit@agfpd', 'rev'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(argvs()).toHaveLength(6);
  });

  it('--no-setup installs but does not run the setup', async () => {
    const res = await runCli(['enable', 'review-kit@agfpd', 'rev', '--no-setup'], env);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('enable review-kit@agfpd setup skipped (--no-setup)');
    expect(argvs().some((a) => a.startsWith('setup'))).toBe(false);
  });

  it('retries an install once after a marketplace refresh', async () => {
    const res = await runCli(['enable', 'review-kit@agfpd', 'rev'], { ...env, STANDIN_FAIL_INSTALLS: '1' });
    expect(res.code).toBe(0);
    expect(argvs().slice(0, 3)).toEqual(['claude plugin install review-kit@agfpd --scope project', 'claude plugin marketplace update', 'claude plugin install review-kit@agfpd --scope project']);
    expect(argvs().slice(3, 6)).toEqual(['codex plugin add review-kit@agfpd', 'codex plugin marketplace upgrade', 'codex plugin add review-kit@agfpd']);
    expect(res.stdout).toContain('claude: installed-after-refresh (project)');
  });

  it('fails with exit 1 and the agent CLI’s reason when the retry fails too; no setup runs', async () => {
    const res = await runCli(['enable', 'review-kit@agfpd', 'rev'], { ...env, STANDIN_FAIL_INSTALLS: '99' });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('claude: failed (project)');
    expect(res.stderr).toContain('iapeer enable: claude: `claude plugin install review-kit@agfpd --scope project` exited 1: Plugin "review-kit@agfpd" not found in any configured marketplace');
    expect(res.stdout).toContain('setup skipped (nothing was installed)');
    expect(argvs().filter((a) => a.includes('install') || a.includes(' add '))).toHaveLength(4);
  });

  it('a failing setup exits 1 but keeps the install (best-effort, no rollback)', async () => {
    const res = await runCli(['enable', 'review-kit@agfpd', 'rev'], { ...env, STANDIN_SETUP_EXIT: '3' });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('enable review-kit@agfpd setup failed');
    expect(res.stderr).toMatch(/setup failed \(the install is kept\): `\S+setup\.js --from codex` exited 3/);
    expect(argvs().some((a) => /uninstall|remove/.test(a))).toBe(false);
    expect(fs.existsSync(path.join(sb.home, '.claude', 'plugins', 'cache', 'agfpd', 'review-kit', '1.0.0', 'iapeer.json'))).toBe(true);
  });

  it('a plugin without a declared setup reports setup none', async () => {
    const res = await runCli(['enable', 'review-kit@agfpd', 'rev'], { ...env, STANDIN_NO_SETUP: '1' });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/setup none \(.*declares no setup\)/);
  });

  it("defaults to the folder's peer and strips the caller's PEER_* identity", async () => {
    const res = await runCli(['enable', 'review-kit@agfpd'], { ...env, PEER_PERSONALITY: 'someone-else', PEER_IDENTITY: 'claude-someone-else' }, { cwd: revCwd });
    expect(res.code).toBe(0);
    const installs = calls().filter((c) => c.tool !== 'setup');
    expect(installs.map((c) => c.peer)).toEqual([null, null]);
    expect(calls().find((c) => c.tool === 'setup')?.peer).toBe('rev');
  });

  it('a bare name gets IAPEER_PLUGIN_MARKETPLACE; without it codex is refused with how to fix it', async () => {
    const withMkt = await runCli(['enable', 'review-kit', 'rev', '--no-setup'], { ...env, IAPEER_PLUGIN_MARKETPLACE: 'agfpd' });
    expect(withMkt.code).toBe(0);
    expect(argvs()).toEqual(['claude plugin install review-kit@agfpd --scope project', 'codex plugin add review-kit@agfpd']);
    const bare = await runCli(['enable', 'review-kit', 'rev', '--no-setup'], env);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('codex needs a marketplace: pass review-kit@<marketplace> or set IAPEER_PLUGIN_MARKETPLACE');
    expect(argvs().slice(2)).toEqual(['claude plugin install review-kit --scope project']);
  });

  it('refuses bad input clearly and changes nothing', async () => {
    const cases: [string[], number, string, { cwd?: string }?][] = [
      [['enable', 'kit@agfpd', 'ghost'], 1, 'peer "ghost" is not registered'],
      [['enable', 'kit@agfpd', 'bot'], 1, 'peer "bot" has no claude or codex runtime (it has fake)'],
      [['enable', 'bad name!', 'rev'], 2, 'invalid plugin "bad name!"'],
      [['enable', 'kit@agfpd'], 2, 'is not a registered peer folder'],
    ];
    for (const [args, code, msg, opts] of cases) {
      const res = await runCli(args, env, { cwd: opts?.cwd ?? sb.dir });
      expect([res.code, res.stderr]).toEqual([code, expect.stringContaining(msg)]);
    }
    expect(calls()).toEqual([]);
  });
});
