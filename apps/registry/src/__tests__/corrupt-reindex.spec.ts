import fs from 'node:fs';
import path from 'node:path';
import { iapeerCodeOf, errorDetailsOf } from '@iapeer/rpc';
import { makeSandbox, TestStack, type Sandbox } from '@iapeer/testing';

const writeProfile = (cwd: string, profile: Record<string, unknown>) => {
  fs.mkdirSync(path.join(cwd, '.iapeer'), { recursive: true });
  fs.writeFileSync(path.join(cwd, '.iapeer', 'peer-profile.json'), JSON.stringify(profile, null, 2));
};

describe('registry: corrupt file, newer versions, verify and reindex', () => {
  let sb: Sandbox;
  let stack: TestStack;
  const reg = () => stack.client('registry').client;

  beforeAll(async () => {
    sb = makeSandbox();
    stack = new TestStack(sb);
    await stack.start(['registry']);
  });
  afterAll(async () => {
    await stack.stop();
    sb.cleanup();
  });
  beforeEach(() => fs.rmSync(sb.paths.peersFile, { force: true }));

  it('a corrupt file is never overwritten: writes refused with the path and what to do', async () => {
    const torn = '{"version": 2, "peers": [{"personality": "alice", "default_runtime": "claude", "cwd": "/x/al';
    fs.writeFileSync(sb.paths.peersFile, torn);
    const err = await reg().upsert.mutate({ personality: 'bob', runtime: 'claude', cwd: '/x/bob' }).catch((e) => e);
    expect(iapeerCodeOf(err)).toBe('REGISTRY_CORRUPT');
    expect(err.message).toMatch(
      new RegExp(`^peers-profiles.json corrupted at ${sb.paths.peersFile}: not valid JSON \\(.*\\)\\. Writes are refused so nothing more is lost; restore the file from a backup, or rebuild it from the peer profiles with \`iapeer verify --fix\`$`),
    );
    expect(errorDetailsOf(err)).toMatchObject({ path: sb.paths.peersFile });
    expect(iapeerCodeOf(await reg().remove.mutate({ personality: 'alice' }).catch((e) => e))).toBe('REGISTRY_CORRUPT');
    expect(fs.readFileSync(sb.paths.peersFile, 'utf8')).toBe(torn);
    // reads answer what they can: nothing here, and the corruption is reported
    const listed = await reg().list.query();
    expect(listed.peers).toEqual([]);
    expect(listed.corrupt).toMatchObject({ path: sb.paths.peersFile });
    expect(iapeerCodeOf(await reg().get.query({ personality: 'alice' }).catch((e) => e))).toBe('REGISTRY_CORRUPT');
  });

  it('one invalid record: the others are still readable, writes refused, file untouched', async () => {
    const text = JSON.stringify({
      version: 2,
      peers: [
        { personality: 'good', default_runtime: 'claude', runtimes: ['claude'], description: '', intelligence: 'artificial', cwd: '/x/good' },
        { personality: 'nocwd', default_runtime: 'claude' },
      ],
    });
    fs.writeFileSync(sb.paths.peersFile, text);
    const listed = await reg().list.query();
    expect(listed.peers.map((p) => p.personality)).toEqual(['good']);
    expect(listed.corrupt!.reason).toBe('peers[1] ("nocwd"): missing cwd');
    expect(await reg().get.query({ personality: 'good' })).toMatchObject({ cwd: '/x/good' });
    expect(iapeerCodeOf(await reg().upsert.mutate({ personality: 'good', runtime: 'claude', cwd: '/x/good' }).catch((e) => e))).toBe('REGISTRY_CORRUPT');
    expect(fs.readFileSync(sb.paths.peersFile, 'utf8')).toBe(text);
  });

  it('a newer schema version is read for known fields, with a warning; unknown fields survive a write', async () => {
    fs.writeFileSync(
      sb.paths.peersFile,
      JSON.stringify({ version: 3, fleet: { id: 7 }, peers: [{ personality: 'neo', runtime: 'codex', cwd: '/x/neo', intelligence: 'scripted', future: [1, 2] }] }),
    );
    const listed = await reg().list.query();
    expect(listed.warnings[0]).toMatch(/schema version 3, newer than 2: only known fields are read/);
    expect(listed.peers[0]).toMatchObject({ personality: 'neo', default_runtime: 'codex', runtimes: ['codex'], intelligence: 'absent', intelligence_raw: 'scripted' });
    await reg().upsert.mutate({ personality: 'neo', runtime: 'codex', cwd: '/x/neo', description: 'kept' });
    const file = JSON.parse(fs.readFileSync(sb.paths.peersFile, 'utf8'));
    expect(file).toMatchObject({ version: 3, fleet: { id: 7 } });
    expect(file.peers[0]).toMatchObject({ future: [1, 2], intelligence: 'scripted', description: 'kept' });
  });

  it('verify reports drift without writing; reindex rebuilds a corrupt file from the profiles after a backup', async () => {
    const a = path.join(sb.paths.peersDir, 'alpha');
    const b = path.join(sb.dir, 'work', 'beta');
    writeProfile(a, { personality: 'alpha', default_runtime: 'claude', runtimes: ['claude'], description: 'from profile', intelligence: 'artificial', expansion: { x: 1 } });
    writeProfile(b, { personality: 'beta', default_runtime: 'codex', description: 'b', intelligence: 'human' });
    await reg().upsert.mutate({ personality: 'alpha', runtime: 'claude', cwd: a, description: 'stale text' });
    await reg().upsert.mutate({ personality: 'beta', runtime: 'codex', cwd: b });
    await reg().upsert.mutate({ personality: 'orphan', runtime: 'claude', cwd: path.join(sb.dir, 'gone') });
    const before = fs.readFileSync(sb.paths.peersFile, 'utf8');
    const v = await reg().verify.query();
    expect(v.ok).toBe(false);
    expect(v.drift).toEqual(
      expect.arrayContaining([
        { personality: 'alpha', cwd: a, kind: 'differs', fields: ['description'] },
        { personality: 'beta', cwd: b, kind: 'differs', fields: ['description', 'intelligence'] },
        { personality: 'orphan', cwd: path.join(sb.dir, 'gone'), kind: 'missing-profile' },
      ]),
    );
    expect(fs.readFileSync(sb.paths.peersFile, 'utf8')).toBe(before);

    // now tear the file and rebuild it
    fs.writeFileSync(sb.paths.peersFile, before.slice(0, before.length / 2));
    const r = await reg().reindex.mutate();
    expect(r.backup).toMatch(/peers-profiles\.json\.corrupt-.*\.bak$/);
    expect(fs.readFileSync(r.backup!, 'utf8')).toBe(before.slice(0, before.length / 2));
    // alpha is still whole in the first half (salvaged, then its profile wins); beta and the
    // profile-less orphan were cut off and come back from the running registry's memory
    expect(r.added).toEqual(['beta', 'orphan']);
    expect(r.updated).toEqual(['alpha']);
    const listed = await reg().list.query();
    expect(listed.corrupt).toBeNull();
    expect(listed.peers.find((p) => p.personality === 'alpha')).toMatchObject({ description: 'from profile', cwd: a });
    expect((await reg().verify.query()).drift.filter((d) => d.kind !== 'missing-profile')).toEqual([]);
  });

  it('init writes the profile over raw JSON (unknown fields kept, description not wiped) and refuses a folder of another peer', async () => {
    const cwd = path.join(sb.dir, 'proj', 'My Project');
    writeProfile(cwd, { personality: 'my-project', default_runtime: 'claude', description: 'keep me', initial_prompt: 'hello', notifier: { on: true } });
    const r = await reg().init.mutate({ cwd, runtime: 'codex', description: '' });
    expect(r).toMatchObject({ created: true, profileCreated: false, peer: { personality: 'my-project', default_runtime: 'codex', description: 'keep me' } });
    const profile = JSON.parse(fs.readFileSync(path.join(cwd, '.iapeer', 'peer-profile.json'), 'utf8'));
    expect(profile).toMatchObject({ personality: 'my-project', default_runtime: 'codex', runtimes: ['codex', 'claude'], description: 'keep me', initial_prompt: 'hello', notifier: { on: true } });
    expect(fs.existsSync(path.join(cwd, '.iapeer', 'fragments'))).toBe(true);
    const err = await reg().init.mutate({ cwd, personality: 'other' }).catch((e) => e);
    expect(iapeerCodeOf(err)).toBe('PERSONALITY_TAKEN');
    expect(err.message).toContain(`folder ${cwd} holds a different peer ("my-project"`);
  });
});
