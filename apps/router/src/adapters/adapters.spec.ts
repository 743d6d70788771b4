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
    });
    expect(await port.wake({ personality: 'a', runtime: undefined, task: 't' })).toEqual({ status: 'FAILED', code: 'CRASH_LOOP', reason: 'r' });
    await port.noteTopic({ identity: 'claude-a', topic: 'x' });
    expect(seen).toEqual([{ personality: 'a', task: 't' }, { identity: 'claude-a', topic: 'x' }]);
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
