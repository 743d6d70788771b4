import fs from 'node:fs';
import path from 'node:path';
import { createRouterServiceRouter, type ControlInput, type SendInput } from '@iapeer/contracts';
import { IapeerError } from '@iapeer/core';
import { serve, type RpcServer } from '@iapeer/rpc';
import { makeSandbox, runCli, type Sandbox } from '@iapeer/testing';
import { CliError } from '../cli-error';
import type { CliIO } from '../io';
import { createProgram } from '../program';

// The CLI verbs against a stand-in router on the real router socket (the contract's
// own router with recording handlers): parsing, --from defaulting, output, exit codes.
describe('iapeer send / interrupt / compact', () => {
  let sb: Sandbox;
  let server: RpcServer;
  const sent: SendInput[] = [];
  const controlled: ControlInput[] = [];
  const polls: string[] = [];

  beforeAll(async () => {
    sb = makeSandbox();
    fs.mkdirSync(path.dirname(sb.paths.serviceSocket('router')), { recursive: true, mode: 0o700 });
    server = await serve({
      socketPath: sb.paths.serviceSocket('router'),
      router: createRouterServiceRouter({
        health: () => ({ name: 'router', version: 't', pid: process.pid, uptimeMs: 0, ready: true, socket: '' }),
        async send(input) {
          sent.push(input);
          if (input.personality === 'carl') throw new IapeerError('CRASH_LOOP', 'peer "carl" offline and wake failed: crash-loop guard: 3 deaths in 300s, leaving asleep');
          if (input.personality === 'worker') return { ok: true, delivered_to: { personality: 'worker', runtime: 'claude' }, woke: false, ts: '2026-01-01T00:00:00.000Z', queued: true, queuedBy: 'ephemeral', queueDepth: 2 };
          if (input.personality === 'typist' || input.personality === 'dialog') {
            const note = input.personality === 'typist' ? 'a human is typing in its input row (x); it lands when the row is empty, and is never pasted over their text' : 'a dialog is on screen that a paste would answer (trust); it lands once the dialog is answered, and is never pasted into it';
            return { ok: true, delivered_to: { personality: input.personality, runtime: 'claude' }, woke: false, ts: '2026-01-01T00:00:00.000Z', queued: true, queuedBy: 'composer', queueDepth: 1, queueId: `q-${input.personality}`, note };
          }
          if (input.personality === 'nobody') throw new IapeerError('PEER_NOT_FOUND', 'peer "nobody" is not in the iapeer peers index; message NOT delivered');
          return { ok: true, delivered_to: { personality: input.personality, runtime: input.runtime ?? 'claude' }, woke: false, ts: '2026-01-01T00:00:00.000Z' };
        },
        async awaitQueued(input) {
          polls.push(input.id);
          // the first poll of the typist's message is still pending: --wait asks again
          if (input.id === 'q-typist') return polls.filter((i) => i === 'q-typist').length < 2 ? { status: 'pending', depth: 1 } : { status: 'delivered', delivered_to: { personality: 'typist', runtime: 'claude' } };
          return { status: 'failed', reason: 'a dialog stayed on screen of claude-dialog for 120 s (IAPEER_COMPOSER_QUEUE_TIMEOUT_MS); it was not pasted over it' };
        },
        async control(input) {
          controlled.push(input);
          if (input.personality === 'asleep') throw new IapeerError('SESSION_NOT_LIVE', 'peer offline: asleep');
          return { ok: true, controlled: { personality: input.personality, runtime: input.runtime ?? 'claude' }, command: input.command, ts: '2026-01-01T00:00:00.000Z' };
        },
      }),
    });
  });
  afterAll(async () => {
    await server.close();
    sb.cleanup();
  });

  function io(cwd = sb.dir, env: NodeJS.ProcessEnv = { ...sb.env }) {
    const out: string[] = [];
    const err: string[] = [];
    const cli: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false, env, cwd };
    return { cli, out, err, run: (...args: string[]) => createProgram(cli).parseAsync(['node', 'iapeer', ...args]) };
  }

  const peerFolder = (name: string, profile: object) => {
    const dir = path.join(sb.dir, name);
    fs.mkdirSync(path.join(dir, '.iapeer'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.iapeer', 'peer-profile.json'), JSON.stringify(profile));
    return dir;
  };

  it('sends with every flag and prints `delivered to <p> (<rt>)`', async () => {
    const t = io();
    await t.run('send', 'alice', '--message', 'hi', '--from', 'claude-boris', '--runtime', 'codex', '--attachment', '/a', '--attachment', '/b', '--topic', 'rel', '--idempotency-key', 'k1');
    expect(sent.at(-1)).toEqual({ from: 'claude-boris', personality: 'alice', message: 'hi', runtime: 'codex', topic: 'rel', attachments: ['/a', '/b'], idempotencyKey: 'k1' });
    expect(t.out).toEqual(['delivered to alice (codex)']);
  });

  it('a message an ephemeral worker queued prints `queued for <p> (<rt>), depth N` and exits 0; --json has the queue fields', async () => {
    const t = io();
    await t.run('send', 'worker', '--message', 'build it', '--from', 'claude-boris');
    expect(t.out).toEqual(['queued for worker (claude), depth 2 — the supervisor tick drains it']);
    const j = io();
    await j.run('send', 'worker', '--message', 'build it', '--from', 'claude-boris', '--json');
    expect(JSON.parse(j.out[0])).toMatchObject({ ok: true, queued: true, queuedBy: 'ephemeral', queueDepth: 2 });
  });

  it('a message held for a human or a dialog (composer hold) prints why and exits 0; --wait blocks until it lands (exit 0) or fails (exit 1)', async () => {
    const t = io();
    await t.run('send', 'typist', '--message', 'hi', '--from', 'claude-boris');
    expect(t.out).toEqual(['queued for typist (claude), depth 1 — a human is typing in its input row (x); it lands when the row is empty, and is never pasted over their text']);
    expect(polls).toEqual([]);
    const w = io();
    await w.run('send', 'typist', '--message', 'hi', '--from', 'claude-boris', '--wait');
    expect(w.out).toEqual([t.out[0], 'delivered to typist (claude)']);
    expect(polls).toEqual(['q-typist', 'q-typist']);
    const f = io();
    const err = await f.run('send', 'dialog', '--message', 'hi', '--from', 'claude-boris', '--wait', '--json').catch((e) => e);
    expect(err.exitCode).toBe(1);
    expect(err.message).toContain('delivery failed: a dialog stayed on screen');
    expect(f.out.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ queued: true, queuedBy: 'composer', queueDepth: 1, queueId: 'q-dialog', note: expect.stringContaining('a dialog is on screen') }),
      { ok: false, code: 'HELD_DELIVERY_FAILED', error: err.message },
    ]);
  });

  it('--from defaults to the cwd peer (profile default_runtime, or the session runtime from PEER_IDENTITY)', async () => {
    const dir = peerFolder('boris', { personality: 'boris', default_runtime: 'claude', runtimes: ['claude', 'codex'] });
    await io(dir).run('send', 'alice', '--message', 'x');
    expect(sent.at(-1)!.from).toBe('claude-boris');
    await io(dir, { ...sb.env, PEER_IDENTITY: 'codex-boris' }).run('send', 'alice', '--message', 'x');
    expect(sent.at(-1)!.from).toBe('codex-boris');
  });

  it('resolveIdentity checks the session ABI (§2.1): PEER_IDENTITY must be PEER_RUNTIME-PEER_PERSONALITY, and PEER_PERSONALITY the folder profile\'s', async () => {
    const dir = peerFolder('boris', { personality: 'boris', default_runtime: 'claude', runtimes: ['claude', 'codex'] });
    const before = sent.length;
    const split = await io(dir, { ...sb.env, PEER_IDENTITY: 'codex-boris', PEER_RUNTIME: 'claude', PEER_PERSONALITY: 'boris' }).run('send', 'alice', '--message', 'x').catch((e) => e);
    expect([split.code, split.message]).toEqual(['IDENTITY_MISMATCH', expect.stringContaining('PEER_IDENTITY=codex-boris is not PEER_RUNTIME-PEER_PERSONALITY (claude-boris)')]);
    const other = await io(dir, { ...sb.env, PEER_IDENTITY: 'claude-dora', PEER_RUNTIME: 'claude', PEER_PERSONALITY: 'dora' }).run('send', 'alice', '--message', 'x').catch((e) => e);
    expect([other.code, other.message]).toEqual(['IDENTITY_MISMATCH', expect.stringContaining('this session is peer "dora" but')]);
    const bare = await io(dir, { ...sb.env, PEER_PERSONALITY: 'dora' }).run('send', 'alice', '--message', 'x').catch((e) => e);
    expect(bare.code).toBe('IDENTITY_MISMATCH');
    expect(sent.length).toBe(before); // nothing reached the router
    // the matching session, and an explicit --from, still send
    await io(dir, { ...sb.env, PEER_IDENTITY: 'codex-boris', PEER_RUNTIME: 'codex', PEER_PERSONALITY: 'boris' }).run('send', 'alice', '--message', 'x');
    expect(sent.at(-1)!.from).toBe('codex-boris');
    await io(dir, { ...sb.env, PEER_IDENTITY: 'claude-dora', PEER_RUNTIME: 'claude', PEER_PERSONALITY: 'dora' }).run('send', 'alice', '--message', 'x', '--from', 'claude-dora');
    expect(sent.at(-1)!.from).toBe('claude-dora');
  });

  it('without --from and outside a peer folder it fails, saying what to pass', async () => {
    const err = await io(sb.home).run('send', 'alice', '--message', 'x').catch((e) => e);
    expect(err).toBeInstanceOf(CliError);
    expect(err.exitCode).toBe(1);
    expect(err.message).toContain('pass --from <runtime>-<personality>');
  });

  it('reads --message-file', async () => {
    const file = path.join(sb.dir, 'msg.txt');
    fs.writeFileSync(file, 'from a file\nline 2');
    await io().run('send', 'alice', '--message-file', file, '--from', 'claude-boris');
    expect(sent.at(-1)!.message).toBe('from a file\nline 2');
  });

  it.each([
    [['send', 'alice', '--from', 'claude-boris'], 'a message is required: --message <text> or --message-file <file|->'],
    [['send', 'alice', '--from', 'claude-boris', '--message', 'a', '--message-file', '/x'], 'give either --message or --message-file, not both'],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const err = await io().run(...args).catch((e) => e);
    expect([err.exitCode, err.message]).toEqual([2, message]);
  });

  it('a refusal is exit 1 with the router text', async () => {
    const err = await io().run('send', 'nobody', '--message', 'x', '--from', 'claude-boris').catch((e) => e);
    expect([err.exitCode, err.message]).toEqual([1, 'peer "nobody" is not in the iapeer peers index; message NOT delivered']);
  });

  it('a wake refused by the supervisor keeps its code: --json prints {ok:false, code, error}, stderr the text, exit 1', async () => {
    const t = io();
    const err = await t.run('send', 'carl', '--message', 'x', '--from', 'claude-boris', '--json').catch((e) => e);
    const text = 'peer "carl" offline and wake failed: crash-loop guard: 3 deaths in 300s, leaving asleep';
    expect([err.exitCode, err.message]).toEqual([1, text]);
    expect(t.out.map((l) => JSON.parse(l))).toEqual([{ ok: false, code: 'CRASH_LOOP', error: text }]);
  });

  it('interrupt and compact print `<verb> → <p> (<rt>)`; an offline peer is exit 1', async () => {
    const t = io();
    await t.run('interrupt', 'alice');
    await t.run('compact', 'alice', 'codex');
    expect(controlled.slice(-2)).toEqual([{ personality: 'alice', command: 'interrupt' }, { personality: 'alice', runtime: 'codex', command: 'compact' }]);
    expect(t.out).toEqual(['interrupt → alice (claude)', 'compact → alice (codex)']);
    const err = await io().run('interrupt', 'asleep').catch((e) => e);
    expect([err.exitCode, err.message]).toEqual([1, 'peer offline: asleep']);
  });

  it('the real binary: stdin message, stdout line, exit 0; a refusal prints `iapeer send: …` and exits 1', async () => {
    if (!fs.existsSync(path.join(__dirname, '../../../../dist/apps/cli/main.js'))) throw new Error('dist/ is missing: run `node tools/build.mjs` first');
    const ok = await runCli(['send', 'alice', '--message-file', '-', '--from', 'claude-boris'], sb.env, { input: 'piped body' });
    expect([ok.code, ok.stdout, ok.stderr]).toEqual([0, 'delivered to alice (claude)\n', '']);
    expect(sent.at(-1)!.message).toBe('piped body');
    const bad = await runCli(['send', 'nobody', '--message', 'x', '--from', 'claude-boris'], sb.env);
    expect([bad.code, bad.stderr]).toEqual([1, 'iapeer send: peer "nobody" is not in the iapeer peers index; message NOT delivered\n']);
    const usage = await runCli(['send', 'alice', '--from', 'claude-boris'], sb.env);
    expect(usage.code).toBe(2);
  });
});
