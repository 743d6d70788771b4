import fs from 'node:fs';
import path from 'node:path';
import { makeSandbox, type Sandbox } from '@iapeer/testing';
import type { Peer } from '@iapeer/contracts';
import { toSupervisedPeer } from './supervised-peer';
import {
  buildInfraPeerJobSpec, buildServiceJobSpecs, jobFilePath, readServiceManagerJournal, renderJobFile, renderJobFiles, serviceManagerJournalPath, writeServiceFileOrThrow,
  type ManagerResult, type ServiceManager as HostManager,
} from '@iapeer/servicefiles';
import { createServiceManager } from './service-manager';

describe('toSupervisedPeer (registry Peer + local profile)', () => {
  let sb: Sandbox;
  beforeEach(() => (sb = makeSandbox()));
  afterEach(() => sb.cleanup());

  const peer = (cwd: string): Peer => ({ personality: 'bob', default_runtime: 'codex', runtimes: ['codex', 'claude'], description: 'd', intelligence: 'natural', intelligence_raw: 'human', cwd });

  it('keeps the registry fields and reads initial_prompt / wake_policy / interfaces from the local profile', () => {
    const cwd = path.join(sb.dir, 'bob');
    fs.mkdirSync(path.join(cwd, '.iapeer'), { recursive: true });
    fs.writeFileSync(path.join(cwd, '.iapeer', 'peer-profile.json'), JSON.stringify({ initial_prompt: 'Seed', wake_policy: 'ephemeral', interfaces: { telegram: { bot: 'b' } } }));
    expect(toSupervisedPeer(peer(cwd))).toEqual({
      personality: 'bob', default_runtime: 'codex', runtimes: ['codex', 'claude'], cwd, description: 'd', intelligence: 'natural',
      interfaces: { telegram: { bot: 'b' } }, initialPrompt: 'Seed', wakePolicy: 'ephemeral',
    });
  });

  it('no profile (or an unreadable one) means no seed and no policy', () => {
    const none = path.join(sb.dir, 'none');
    expect(toSupervisedPeer(peer(none))).toMatchObject({ default_runtime: 'codex', intelligence: 'natural', initialPrompt: undefined, wakePolicy: undefined });
    const bad = path.join(sb.dir, 'bad');
    fs.mkdirSync(path.join(bad, '.iapeer'), { recursive: true });
    fs.writeFileSync(path.join(bad, '.iapeer', 'peer-profile.json'), '{not json');
    expect(toSupervisedPeer(peer(bad))).toMatchObject({ initialPrompt: undefined, wakePolicy: undefined });
  });
});

describe('service manager check (H4)', () => {
  let sb: Sandbox;
  beforeEach(() => (sb = makeSandbox()));
  afterEach(() => sb.cleanup());

  const infraFile = (platform: 'darwin' | 'linux', personality: string) =>
    renderJobFile(sb.paths, platform, buildInfraPeerJobSpec({ paths: sb.paths, env: sb.env, platform, personality, runtime: 'notifier', cwd: path.join(sb.dir, personality), command: [process.execPath, '/abs/cli.js'] }));

  it.each(['darwin', 'linux'] as const)('%s: the peer\'s own job file makes it managed; the iapeer sentinel makes it ours, else foreign', async (platform) => {
    const sm = createServiceManager(sb.paths, sb.env, { platform });
    expect(sm.isManaged('bob')).toBe(false);
    expect(sm.ownership('bob')).toBe('none');
    const bob = infraFile(platform, 'bob');
    writeServiceFileOrThrow(bob);
    expect(sm.describeJob('bob')).toEqual({ label: platform === 'darwin' ? 'com.iapeer.bob' : 'iapeer-peer-bob.service', file: bob.path });
    expect(sm.isManaged('bob')).toBe(true);
    expect(sm.ownership('bob')).toBe('ours');
    const amy = jobFilePath(sb.paths, platform, 'infra-peer', 'amy');
    fs.writeFileSync(amy, platform === 'darwin' ? '<plist><dict><key>Label</key><string>com.iapeer.amy</string></dict></plist>' : '[Service]\nExecStart=/bin/x\n');
    expect(sm.isManaged('amy')).toBe(true);
    expect(sm.ownership('amy')).toBe('foreign');
  });

  it('a service\'s own plist at a colliding label is not the peer\'s job (a peer named logd stays an ordinary peer)', () => {
    const [logd] = renderJobFiles(sb.paths, 'darwin', buildServiceJobSpecs({ paths: sb.paths, env: sb.env, nodePath: process.execPath, distAppsDir: '/abs/dist/apps' }).filter((s) => s.service === 'logd'));
    writeServiceFileOrThrow(logd);
    const sm = createServiceManager(sb.paths, sb.env, { platform: 'darwin' });
    expect(sm.isManaged('logd')).toBe(false);
    expect(sm.ownership('logd')).toBe('none');
  });

  it('bootout/bootstrap go through the servicefiles manager: recorded in the sandbox journal with the job\'s label', async () => {
    const sm = createServiceManager(sb.paths, sb.env, { platform: 'linux' });
    writeServiceFileOrThrow(infraFile('linux', 'bob'));
    expect(await sm.bootout('bob')).toEqual({ outcome: 'skipped-sandbox' });
    expect(await sm.bootstrap('bob')).toEqual({ outcome: 'skipped-sandbox' });
    const journal = readServiceManagerJournal(serviceManagerJournalPath(sb.paths));
    expect(journal.map((e) => [e.action, e.label])).toEqual([['stop', 'iapeer-peer-bob.service'], ['start', 'iapeer-peer-bob.service']]);
    expect(journal[0].argv).toEqual([['systemctl', '--user', 'disable', '--now', 'iapeer-peer-bob.service']]);
  });

  it('maps the host manager\'s answers: done, failed with its detail', async () => {
    const outcomes: ManagerResult[] = [{ outcome: 'unloaded' }, { outcome: 'failed', detail: 'bootstrap failed 4 times' }];
    const fake: HostManager = {
      kind: 'launchd', sandboxed: false,
      reload: async () => ({ outcome: 'not-needed' }),
      start: async () => outcomes.shift()!,
      stop: async () => outcomes.shift()!,
      query: async () => 'unknown',
      describe: () => [],
    };
    const sm = createServiceManager(sb.paths, sb.env, { platform: 'darwin', manager: fake });
    expect(await sm.bootout('bob')).toEqual({ outcome: 'bootout', detail: 'unloaded' });
    expect(await sm.bootstrap('bob')).toEqual({ outcome: 'failed', detail: 'bootstrap failed 4 times' });
  });
});
