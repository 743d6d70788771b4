import fs from 'node:fs';
import type { Peer } from '@iapeer/contracts';
import path from 'node:path';
import { loadConfig } from '@iapeer/core';
import { launch } from '@iapeer/runtimes';
import { createTmuxDriver } from '@iapeer/tmux';
import { fakeAgentEnv, installFakeRuntime, makeSandbox, readFakeTranscript, waitFor } from '@iapeer/testing';
import { codecEnvelopeBuilder } from './codec-envelope';
import { createRuntimeCatalog } from './runtime-catalog';
import { createRegistryDirectory } from './registry-directory';
import { createSupervisorPort } from './supervisor-client';
import { createTmuxSessionProbe, createTmuxTerminal } from './tmux-terminal';

describe('registry adapter', () => {
  it('adds wake_policy "ephemeral" from the peer\'s own profile, and nothing for any other profile', async () => {
    const sb = makeSandbox();
    try {
      const folder = (name: string, profile: unknown) => {
        const cwd = path.join(sb.dir, name);
        fs.mkdirSync(path.join(cwd, '.iapeer'), { recursive: true });
        if (profile !== undefined) fs.writeFileSync(path.join(cwd, '.iapeer', 'peer-profile.json'), typeof profile === 'string' ? profile : JSON.stringify(profile));
        return cwd;
      };
      const cwds: Record<string, string> = {
        w: folder('w', { personality: 'w', wake_policy: 'ephemeral' }),
        x: folder('x', { personality: 'x', wake_policy: 'eager' }),
        y: folder('y', '{ not json'),
        z: folder('z', undefined),
      };
      const rec = (p: string): Peer => ({ personality: p, default_runtime: 'claude', runtimes: ['claude'], description: '', intelligence: 'artificial', intelligence_raw: 'artificial', cwd: cwds[p] });
      const directory = createRegistryDirectory({ get: { query: async ({ personality }) => rec(personality) } });
      expect(await directory.get('w')).toEqual({ ...rec('w'), wakePolicy: 'ephemeral' });
      for (const p of ['x', 'y', 'z']) expect(await directory.get(p)).toEqual(rec(p));
    } finally {
      sb.cleanup();
    }
  });

  it('hands on the registry\'s Peer as it is, and null for an unregistered name', async () => {
    const peer: Peer = { personality: 'a', default_runtime: 'codex', runtimes: ['codex', 'claude'], description: '', intelligence: 'natural', intelligence_raw: 'human', cwd: '/a' };
    const asked: string[] = [];
    const directory = createRegistryDirectory({ get: { query: async ({ personality }) => (asked.push(personality), personality === 'a' ? peer : null) } });
    expect(await directory.get('a')).toEqual(peer);
    expect(await directory.get('b')).toBeNull();
    expect(asked).toEqual(['a', 'b']);
  });
});

describe('supervisor adapter', () => {
  it('sends wake without undefined keys and passes the outcome (code and reason) through', async () => {
    const seen: unknown[] = [];
    const port = createSupervisorPort({
      wake: { mutate: async (i) => (seen.push(i), { status: 'FAILED', code: 'CRASH_LOOP', reason: 'r' }) },
      noteTopic: { mutate: async (i) => seen.push(i) },
      enqueue: { mutate: async (i) => (seen.push(i), { identity: 'claude-a', seq: '000003', depth: 3, duplicate: false }) },
      arm: { mutate: async (i) => (seen.push(i), { identity: i.identity, armed: true, ephemeral: true, quietSecs: 20 }) },
      state: { query: async () => [] },
    });
    expect(await port.wake({ personality: 'a', runtime: undefined, task: 't' })).toEqual({ status: 'FAILED', code: 'CRASH_LOOP', reason: 'r' });
    await port.noteTopic({ identity: 'claude-a', topic: 'x' });
    expect(await port.enqueue({ personality: 'a', runtime: 'claude', task: 'e', topic: undefined })).toEqual({ identity: 'claude-a', seq: '000003', depth: 3, duplicate: false });
    expect(await port.arm({ identity: 'claude-a', origin: 'outbound' })).toMatchObject({ armed: true });
    expect(seen).toEqual([{ personality: 'a', task: 't' }, { identity: 'claude-a', topic: 'x' }, { personality: 'a', runtime: 'claude', task: 'e' }, { identity: 'claude-a', origin: 'outbound' }]);
  });

  it('parked: no live session and a clean park (.idle-reaped) of that very identity', async () => {
    const rows = [
      { identity: 'claude-a', status: 'asleep', markers: { idleReaped: true } },
      { identity: 'codex-a', status: 'asleep', markers: { idleReaped: false } },
      { identity: 'claude-b', status: 'live', markers: { idleReaped: true } },
    ];
    const asked: unknown[] = [];
    const port = createSupervisorPort({
      wake: { mutate: async () => ({ status: 'FAILED', code: 'WAKE_FAILED', reason: '' }) },
      noteTopic: { mutate: async () => undefined },
      enqueue: { mutate: async () => ({ identity: 'claude-a', seq: '000001', depth: 1, duplicate: false }) },
      arm: { mutate: async (i) => ({ identity: i.identity, armed: true, ephemeral: false, quietSecs: 20 }) },
      state: { query: async (i) => (asked.push(i), rows) },
    });
    expect(await port.parked!('claude-a')).toBe(true);
    expect(await port.parked!('codex-a')).toBe(false);
    expect(await port.parked!('claude-b')).toBe(false);
    expect(await port.parked!('claude-zed')).toBe(false);
    expect(asked[0]).toEqual({ personality: 'a' });
  });
});

describe('tmux terminal adapter (real tmux, fake agent)', () => {
  const sandbox = makeSandbox();
  installFakeRuntime(sandbox);
  const driver = createTmuxDriver({ sockDir: sandbox.paths.sockDir, baseEnv: sandbox.env });
  const cfg = loadConfig(sandbox.env);
  const adapterFor = createRuntimeCatalog(sandbox.paths, sandbox.env);
  const cwd = path.join(sandbox.dir, 'peers', 'ada');
  const target = { personality: 'ada', runtime: 'fake', identity: 'fake-ada', cwd };
  const terminal = createTmuxTerminal({ driver, adapterFor, cfg, paneLogDir: sandbox.paths.paneLogDir, env: sandbox.env });

  beforeAll(async () => {
    fs.mkdirSync(cwd, { recursive: true });
    const res = await launch({ spec: { cwd, identity: target.identity, personality: 'ada', resume: false, paneLog: path.join(sandbox.paths.paneLogDir, 'fake-ada.log'), env: { ...sandbox.env, ...fakeAgentEnv() } }, adapter: adapterFor('fake')!, tmux: driver, cfg });
    expect(res.status).toBe('READY');
  });
  afterAll(async () => {
    await driver.kill(target.identity);
    sandbox.cleanup();
  });

  it('lists the live runtimes of one personality', async () => {
    const probe = createTmuxSessionProbe(driver, sandbox.paths.tmuxSocket);
    expect(await probe.liveRuntimes('ada')).toEqual(['fake']);
    expect(await probe.isLive('fake-ada')).toBe(true);
    expect(await probe.isLive('fake-nobody')).toBe(false);
    expect(await probe.mayBeLive('fake-ada')).toBe(true);
    expect(await probe.mayBeLive('fake-nobody')).toBe(false);
  });

  it('delivers an envelope verifiably: it is in the transcript once', async () => {
    const env = codecEnvelopeBuilder.build({ fromPersonality: 'bob', fromRuntime: 'fake', fromIntelligence: 'artificial', topic: 't', message: 'hello ada ]]> end' });
    expect(await terminal.deliver(target, env)).toEqual({ ok: true });
    const texts = readFakeTranscript(cwd).filter((r) => r.type === 'message').map((r) => r.text);
    expect(texts.filter((t) => t === env)).toHaveLength(1);
  });

  it('reports a miss truthfully: no session, no adapter', async () => {
    const gone = await terminal.deliver({ ...target, identity: 'fake-ghost' }, 'x');
    expect(gone).toMatchObject({ ok: false, reason: expect.stringContaining('NOT delivered'), notLive: true });
    expect(await terminal.deliver({ ...target, runtime: 'gemini' }, 'ok')).toMatchObject({ ok: false, reason: expect.stringContaining('runtime "gemini" has no adapter') });
  });

  it('interrupt and compact reach the agent; routers are unsupported', async () => {
    const types = () => readFakeTranscript(cwd).map((r) => r.type);
    expect(await terminal.control(target, 'interrupt')).toBe('done');
    await waitFor(() => types().includes('interrupt'), 'the interrupt marker in the transcript');
    expect(await terminal.control(target, 'compact')).toBe('done');
    await waitFor(() => types().includes('compact'), 'the compact marker in the transcript');
    expect(await terminal.control({ ...target, runtime: 'telegram' }, 'interrupt')).toBe('unsupported');
  });
});
