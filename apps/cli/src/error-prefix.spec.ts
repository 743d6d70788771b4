import fs from 'node:fs';
import path from 'node:path';
import type { RegistryRouter } from '@iapeer/contracts';
import { connect } from '@iapeer/rpc';
import { installFakeRuntime, makeSandbox, TestStack, type Sandbox } from '@iapeer/testing';
import type { CliIO } from './io';
import { allCommands, createProgram, verbPath } from './program';
import { runCli } from './run-cli';

// docs/behaviour.md §10: every error the CLI prints starts with `iapeer <verb>: `, and a
// failure never exits 0. Every registered verb is run with a bad input, in-process through
// run-cli (the one place failures are printed), against the real four services.

interface Case {
  argv: string[];
  env?: Record<string, string>;
  cwd?: string;
}

/** The root's own action, the folder launch, is named by its runtime word. */
const FOLDER_LAUNCH = '<runtime>';

describe('`iapeer <verb>: …` on every failure of every verb', () => {
  let sb: Sandbox;
  let stack: TestStack;
  let badFolder: string;
  let bareFolder: string;

  beforeAll(async () => {
    sb = makeSandbox({ IAPEER_SUPERVISE_INTERVAL_MS: '3600000' });
    installFakeRuntime(sb);
    stack = new TestStack(sb);
    await stack.start();
    const { client, close } = connect<RegistryRouter>({ service: 'registry', socketPath: sb.paths.serviceSocket('registry') });
    const cwd = path.join(sb.paths.peersDir, 'alice');
    fs.mkdirSync(cwd, { recursive: true, mode: 0o700 });
    await client.init.mutate({ cwd, personality: 'alice', runtime: 'fake' });
    close();
    badFolder = path.join(sb.dir, 'work', '2fast');
    bareFolder = path.join(sb.dir, 'work', 'bare');
    for (const d of [badFolder, bareFolder]) fs.mkdirSync(d, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await stack.stop();
    sb.cleanup();
  });

  async function run(c: Case) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false, stdinIsTTY: false, env: { ...sb.env, ...c.env }, cwd: c.cwd ?? sb.dir };
    const code = await runCli(io, c.argv);
    return { code, out, err };
  }

  /** Every command a user can type (the root's folder launch as `<runtime>`), from the program itself. */
  const registeredVerbs = () =>
    allCommands(createProgram({ out: () => undefined, err: () => undefined, isTTY: false, env: {}, cwd: '/' }))
      .map((c) => (c.parent ? verbPath(c) : FOLDER_LAUNCH))
      .filter((v) => v !== 'help');

  /** A bad input per verb that reaches its action where the action can be reached safely. */
  const BAD: Record<string, () => Case> = {
    [FOLDER_LAUNCH]: () => ({ argv: ['fake'], cwd: badFolder }),
    up: () => ({ argv: ['up'], env: { IAPEER_ROOT: path.join(sb.home, '.iapeer') } }), // the real root under the sandbox flag
    down: () => ({ argv: ['down'] }), // the stack was not started by `up`
    status: () => ({ argv: ['status', 'extra'] }),
    service: () => ({ argv: ['service', 'bogus'] }),
    'service install': () => ({ argv: ['service', 'install', 'extra'] }),
    'service uninstall': () => ({ argv: ['service', 'uninstall', 'extra'] }),
    'service status': () => ({ argv: ['service', 'status', 'extra'] }),
    enable: () => ({ argv: ['enable', 'bad plugin!'] }),
    send: () => ({ argv: ['send', 'nobody', '--message', 'x', '--from', 'fake-alice'] }),
    interrupt: () => ({ argv: ['interrupt', 'nobody'] }),
    compact: () => ({ argv: ['compact', 'nobody'] }),
    init: () => ({ argv: ['init'], cwd: bareFolder }), // no runtime from anywhere: RUNTIME_UNRESOLVED
    create: () => ({ argv: ['create', 'Bad Name'] }),
    list: () => ({ argv: ['list', 'extra'] }),
    remove: () => ({ argv: ['remove'] }),
    verify: () => ({ argv: ['verify', 'extra'] }),
    stop: () => ({ argv: ['stop'] }),
    start: () => ({ argv: ['start', 'alice', '--all'] }),
    new: () => ({ argv: ['new', 'nobody'] }),
    refresh: () => ({ argv: ['refresh'] }),
    'self-fresh': () => ({ argv: ['self-fresh'], env: { PEER_IDENTITY: 'fake-alice', PEER_RUNTIME: 'claude', PEER_PERSONALITY: 'alice' } }),
    'self-done': () => ({ argv: ['self-done'], env: { PEER_IDENTITY: 'alice' } }),
    attach: () => ({ argv: ['attach', 'nobody'] }),
    demo: () => ({ argv: ['demo', '--runtime', 'no-such-agent-bin'] }),
    logs: () => ({ argv: ['logs', 'nosuch'] }),
    'run-infra': () => ({ argv: ['run-infra', 'alice', 'fake'] }),
    __keeper: () => ({ argv: ['__keeper', 'extra'] }),
    version: () => ({ argv: ['version', 'extra'] }),
    console: () => ({ argv: ['console', 'extra'] }),
    'add-runtime': () => ({ argv: ['add-runtime', 'codex', '--peer', 'nobody'] }),
    'default-runtime': () => ({ argv: ['default-runtime', 'nosuchrt', '--all'] }),
    connect: () => ({ argv: ['connect', 'bogus'] }),
    'connect telegram': () => ({ argv: ['connect', 'telegram', 'alice', '--token', 'not-a-token'] }),
  };

  it('the table names every registered verb (a new verb needs a bad input here)', () => {
    expect(Object.keys(BAD).sort()).toEqual(registeredVerbs().sort());
  });

  it('a bad input to every verb: non-zero exit, the failure printed as `iapeer <verb>: …`', async () => {
    for (const verb of registeredVerbs()) {
      const c = BAD[verb]();
      const r = await run(c);
      const label = verb === FOLDER_LAUNCH ? c.argv[0] : verb;
      const prefix = `iapeer ${label}: `;
      expect({ argv: c.argv, exitNonZero: r.code !== 0 }).toEqual({ argv: c.argv, exitNonZero: true });
      expect({ argv: c.argv, hasError: r.err.length > 0 }).toEqual({ argv: c.argv, hasError: true });
      // progress lines of a wake (`new nobody: launching…`) may come first; the failure is the last line
      const failure = r.err.filter((l) => !l.startsWith('(run `iapeer')).at(-1) ?? '';
      expect({ argv: c.argv, line: failure.slice(0, prefix.length) }).toEqual({ argv: c.argv, line: prefix });
      // never a stack trace
      expect(r.err.join('\n')).not.toMatch(/^\s+at /m);
    }
  }, 120_000);

  it('an unknown option to every verb: usage error (exit 2) printed as `iapeer <verb>: unknown option …` with `iapeer <verb> --help` as the hint', async () => {
    for (const verb of registeredVerbs().filter((v) => v !== FOLDER_LAUNCH)) {
      const r = await run({ argv: [...verb.split(' '), '--no-such-option'] });
      expect({ verb, code: r.code, err: r.err }).toEqual({ verb, code: 2, err: [`iapeer ${verb}: unknown option '--no-such-option'`, `(run \`iapeer ${verb} --help\` for usage)`] });
    }
    // before any verb is known, there is no verb to name
    expect((await run({ argv: ['--no-such-option'] })).err[0]).toBe("iapeer: unknown option '--no-such-option'");
  });

  it('the prefix is printed once: messages do not repeat their verb', async () => {
    const r = await run({ argv: ['stop'] });
    expect(r).toMatchObject({ code: 2, err: ['iapeer stop: name a peer or pass --all (not both)'] });
    const s = await run({ argv: ['self-done'], env: { PEER_IDENTITY: '' } });
    expect(s).toMatchObject({ code: 1, err: ['iapeer self-done: PEER_IDENTITY is not set — run this from inside a peer session'] });
  });
});
