import fs from 'node:fs';
import path from 'node:path';
import { makeSandbox, type Sandbox } from '@iapeer/testing';
import { toPeerRecord } from './peer-record';
import { createServiceManager, plistPath, unitPath } from './service-manager';

describe('toPeerRecord (registry record + local profile)', () => {
  let sb: Sandbox;
  beforeEach(() => (sb = makeSandbox()));
  afterEach(() => sb.cleanup());

  it('maps registry fields, keeps the default runtime first, and reads initial_prompt / wake_policy / interfaces from the local profile', () => {
    const cwd = path.join(sb.dir, 'bob');
    fs.mkdirSync(path.join(cwd, '.iapeer'), { recursive: true });
    fs.writeFileSync(path.join(cwd, '.iapeer', 'peer-profile.json'), JSON.stringify({ initial_prompt: 'Seed', wake_policy: 'ephemeral', interfaces: { telegram: { bot: 'b' } } }));
    expect(toPeerRecord({ personality: 'bob', default_runtime: 'codex', runtimes: ['claude', 'codex'], description: 'd', intelligence: 'human', cwd })).toEqual({
      personality: 'bob', defaultRuntime: 'codex', runtimes: ['codex', 'claude'], cwd, description: 'd', intelligence: 'natural',
      interfaces: { telegram: { bot: 'b' } }, initialPrompt: 'Seed', wakePolicy: 'ephemeral',
    });
  });

  it('falls back to the legacy runtime mirror and the runtime default intelligence; no profile means no seed', () => {
    const r = toPeerRecord({ personality: 'amy', runtime: 'claude', cwd: path.join(sb.dir, 'none') });
    expect(r).toMatchObject({ defaultRuntime: 'claude', runtimes: ['claude'], intelligence: 'artificial', initialPrompt: undefined, wakePolicy: undefined, description: '' });
  });
});

describe('service manager check (H4)', () => {
  let sb: Sandbox;
  beforeEach(() => (sb = makeSandbox()));
  afterEach(() => sb.cleanup());

  it('a plist or a systemd unit makes a peer managed; the sentinel makes it ours, else foreign', async () => {
    const sm = createServiceManager(sb.paths, sb.env);
    expect(sm.isManaged('bob')).toBe(false);
    expect(sm.ownership('bob')).toBe('none');
    fs.mkdirSync(sb.paths.launchAgentsDir, { recursive: true });
    fs.writeFileSync(plistPath(sb.paths, 'bob'), '<plist><dict><key>com.iapeer.managed</key><true/></dict></plist>');
    expect(sm.isManaged('bob')).toBe(true);
    expect(sm.ownership('bob')).toBe('ours');
    fs.mkdirSync(sb.paths.systemdUserDir, { recursive: true });
    fs.writeFileSync(unitPath(sb.paths, 'amy'), '[Service]\nExecStart=/bin/x\n');
    expect(sm.isManaged('amy')).toBe(true);
    expect(sm.ownership('amy')).toBe('foreign');
    expect(await sm.bootout('bob')).toBe('skipped-sandbox');
    expect(await sm.bootstrap('bob')).toBe('skipped-sandbox');
  });
});
