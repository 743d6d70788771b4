import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { isIapeerError } from '@iapeer/core';
import type { RegistryRouter } from '@iapeer/contracts';
import { connect, iapeerCodeOf } from '@iapeer/rpc';
import { installFakeRuntime, makeSandbox, TestStack, type Sandbox } from '@iapeer/testing';
import { CliError } from './cli-error';
import type { CliIO } from './io';
import { CommanderError, createProgram } from './program';

// Fuzzed CLI arguments (issue 9): generated argv for every verb, parsed and run in-process
// against the real four services. Every run ends in a usage error (2), a failure with a
// message (1 or the verb's code), or success; never an untyped exception. A refused run
// changes no file under the root (logs and agent transcripts aside).
// FUZZ_RUNS raises the runs per verb for a long local run.

const runs = (() => {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : 12;
})();

/**
 * Verbs whose action would start/stop the stack, install units, take over a terminal, run
 * forever (the hidden keeper) or switch the fuzzed peers to a real agent runtime (add-runtime,
 * default-runtime: later fuzzed sends would then wake claude/codex): their parser only.
 */
const PARSER_ONLY = new Set(['up', 'down', 'service', 'enable', 'demo', 'attach', 'help', '__keeper', 'add-runtime', 'default-runtime']);
/** Tokens that would block a run: follow forever, read stdin, point the CLI at another root. */
const BLOCKING = new Set(['-f', '--follow', '-', '--root', '--message-file']);

const NASTY = [
  '', ' ', '\n', '\0', '--', '-x', '--no-such-option', '-h', '--help', '-V', '..', '../../etc/passwd', 'peers/../../x', '~', '$HOME', '`id`',
  'Bob', 'bob', 'alice', 'nobody', 'fake', 'claude', 'fake-alice', 'fake-bob', 'a'.repeat(33), '💥', 'Привет', '\u202e', '<iap>', ']]>', '"', '__proto__',
  '0', '-1', '1e309', 'NaN', '99999999999999999999', 'lifecycle', 'delivery', 'interrupt', 'x'.repeat(16_001),
];

function edgeToken(jail: string): fc.Arbitrary<string> {
  return fc
    .oneof({ weight: 3, arbitrary: fc.constantFrom(...NASTY) }, { weight: 1, arbitrary: fc.string({ maxLength: 20 }) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }) })
    .map((t) => (t.startsWith('/') ? jail + t : t))
    .filter((t) => !BLOCKING.has(t));
}

/** A run that does not end is a finding: fail naming its argv instead of timing the whole test out. */
function withDeadline<T>(p: Promise<T>, ms: number, argv: string[]): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`iapeer ${JSON.stringify(argv)} did not finish within ${ms} ms`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

interface Outcome {
  exit: number;
  message: string;
  typed: boolean;
}

describe('fuzzed CLI arguments: every verb, in-process, against the real services', () => {
  let sb: Sandbox;
  let stack: TestStack;
  const verbs: Array<{ name: string; options: string[] }> = [];

  beforeAll(async () => {
    sb = makeSandbox({ IAPEER_SUPERVISE_INTERVAL_MS: '3600000', IAPEER_BOOT_DEADLINE_SECS: '20' });
    installFakeRuntime(sb);
    stack = new TestStack(sb);
    await stack.start();
    const { client, close } = connect<RegistryRouter>({ service: 'registry', socketPath: sb.paths.serviceSocket('registry') });
    for (const p of ['alice', 'bob']) {
      const cwd = path.join(sb.paths.peersDir, p);
      fs.mkdirSync(cwd, { recursive: true, mode: 0o700 });
      await client.init.mutate({ cwd, personality: p, runtime: 'fake' });
    }
    close();
    const program = createProgram(io([]));
    for (const c of program.commands) verbs.push({ name: c.name(), options: c.options.flatMap((o) => [o.long, o.short]).filter((o): o is string => Boolean(o) && !BLOCKING.has(o!)) });
  }, 60_000);

  afterAll(async () => {
    await run(['stop', '--all']);
    await stack.stop();
    sb.cleanup();
  });

  // Verbs resolve path arguments against the cwd (`init ..`): a cwd ten levels deep in the
  // sandbox keeps every generated relative path (at most 20 chars, so at most 7 `../`) inside it
  const deepCwd = () => {
    const dir = path.join(sb.dir, 'cwd', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i');
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  };

  function io(sink: string[]): CliIO {
    return { out: (l) => sink.push(l), err: (l) => sink.push(l), isTTY: false, env: { ...sb.env }, cwd: deepCwd() };
  }

  async function run(argv: string[]): Promise<Outcome> {
    const sink: string[] = [];
    const before = process.exitCode;
    process.exitCode = undefined;
    try {
      await createProgram(io(sink)).parseAsync(['node', 'iapeer', ...argv]);
      return { exit: Number(process.exitCode ?? 0), message: sink.join('\n'), typed: true };
    } catch (err) {
      if (err instanceof CommanderError) return { exit: err.exitCode === 0 ? 0 : 2, message: err.message, typed: true };
      if (err instanceof CliError) return { exit: err.exitCode, message: err.message, typed: true };
      // run-cli prints any other error as `iapeer <verb>: <message>`, exit 1: it must carry an iapeer code
      return { exit: 1, message: `${(err as Error).name}: ${(err as Error).message}`, typed: isIapeerError(err) || iapeerCodeOf(err) !== undefined };
    } finally {
      process.exitCode = before;
    }
  }

  const snapshot = () => {
    const out = new Map<string, string>();
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (p === sb.paths.logsDir || e.name === 'transcript.jsonl') continue;
        if (e.isDirectory()) walk(p);
        else if (e.isFile()) out.set(p, `${fs.statSync(p).size} ${fs.statSync(p).mtimeMs}`);
      }
    };
    walk(sb.root);
    return [...out].map(([p, v]) => `${p} ${v}`).sort();
  };

  it('lists the verbs it fuzzes (every registered command)', () => {
    expect(verbs.map((v) => v.name)).toEqual(expect.arrayContaining(['send', 'init', 'create', 'list', 'remove', 'verify', 'stop', 'start', 'new', 'refresh', 'logs', 'status']));
  });

  it('every verb: a typed outcome with a message on failure; a refused run changes no file', async () => {
    const exits = new Map<number, number>();
    for (const verb of verbs) {
      const token = edgeToken(sb.dir);
      const option = verb.options.length > 0 ? fc.constantFrom(...verb.options) : token;
      const args = fc.array(fc.oneof(token, option, fc.tuple(option, token).map(([o, t]) => `${o}=${t}`)), { maxLength: 5 }).map((a) => a.flat());
      const argv = PARSER_ONLY.has(verb.name) ? args.map((a) => [verb.name, ...a, '--no-such-option-from-fuzz']) : args.map((a) => [verb.name, ...a]);
      await fc.assert(
        fc.asyncProperty(argv, async (argv) => {
          const before = snapshot();
          const out = await withDeadline(run(argv), 30_000, argv);
          exits.set(out.exit, (exits.get(out.exit) ?? 0) + 1);
          expect({ argv, typed: out.typed, message: out.message }).toEqual({ argv, typed: true, message: out.message });
          if (out.exit === 0) return;
          expect(out.message.trim().length).toBeGreaterThan(0);
          expect({ argv, changes: snapshot().filter((l) => !before.includes(l)) }).toEqual({ argv, changes: [] });
        }),
        { numRuns: runs, endOnFailure: true },
      );
    }
    // the generators reach the actions, not only the parser: successes and failures both happen
    expect(exits.get(0)).toBeGreaterThan(0);
    expect(exits.get(1)).toBeGreaterThan(0);
    expect(exits.get(2)).toBeGreaterThan(0);
    // and a verb nobody registered
    expect((await run(['no-such-verb-xyz'])).exit).not.toBe(0);
    for (const name of ['registry', 'supervisor', 'router', 'logd'] as const) expect(stack.children.get(name)!.exitCode).toBeNull();
  }, 240_000);
});
