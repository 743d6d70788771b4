import fs from 'node:fs';
import path from 'node:path';
import { iapeerCodeOf } from '@iapeer/rpc';
import { makeSandbox, TestStack, type Sandbox } from '@iapeer/testing';

// The registry as a real process (dist/apps/registry/main.js) on its real socket.
describe('registry service over its socket', () => {
  let sb: Sandbox;
  let stack: TestStack;
  const reg = () => stack.client('registry').client;
  const readFile = () => JSON.parse(fs.readFileSync(sb.paths.peersFile, 'utf8'));
  const folder = (name: string) => path.join(sb.dir, 'folders', name);

  beforeAll(async () => {
    sb = makeSandbox();
    stack = new TestStack(sb);
    await stack.start(['registry']);
  });
  afterAll(async () => {
    await stack.stop();
    sb.cleanup();
  });

  it('12 parallel upserts of different peers all land, in one sorted schema-v2 file', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `peer-${String.fromCharCode(108 - i)}`);
    const results = await Promise.all(names.map((n) => reg().upsert.mutate({ personality: n, runtime: 'claude', cwd: folder(n) })));
    expect(results.every((r) => r.created)).toBe(true);
    const file = readFile();
    expect(file.version).toBe(2);
    expect(file.peers.map((p: { personality: string }) => p.personality)).toEqual([...names].sort());
    expect(Object.keys(file.peers[0])).toEqual(['personality', 'default_runtime', 'runtime', 'runtimes', 'description', 'intelligence', 'cwd']);
    const text = fs.readFileSync(sb.paths.peersFile, 'utf8');
    expect(text).toBe(JSON.stringify(file, null, 2) + '\n');
    expect(fs.statSync(sb.paths.peersFile).mode & 0o777).toBe(0o600);
    const listed = await reg().list.query();
    expect(listed.peers.map((p) => p.personality)).toEqual([...names].sort());
    expect(listed.corrupt).toBeNull();
  });

  it('parallel upserts of the same peer union their runtimes', async () => {
    const cwd = folder('twin');
    await Promise.all([
      reg().upsert.mutate({ personality: 'twin', runtime: 'claude', cwd }),
      reg().upsert.mutate({ personality: 'twin', runtime: 'codex', cwd }),
      reg().upsert.mutate({ personality: 'twin', runtime: 'claude', runtimes: ['fake'], cwd }),
    ]);
    const peer = await reg().get.query({ personality: 'twin' });
    expect([...peer!.runtimes].sort()).toEqual(['claude', 'codex', 'fake']);
    expect(peer!.runtimes[0]).toBe(peer!.default_runtime);
  });

  it('remove of an absent peer is a no-op, twice; a second remove after a first is a no-op', async () => {
    expect(await reg().remove.mutate({ personality: 'ghost' })).toEqual({ removed: false, peer: null });
    expect(await reg().remove.mutate({ personality: 'ghost' })).toEqual({ removed: false, peer: null });
    await reg().upsert.mutate({ personality: 'brief', runtime: 'claude', cwd: folder('brief') });
    const first = await reg().remove.mutate({ personality: 'brief' });
    expect(first.removed).toBe(true);
    expect(first.peer!.personality).toBe('brief');
    expect(await reg().remove.mutate({ personality: 'brief' })).toEqual({ removed: false, peer: null });
    expect(await reg().get.query({ personality: 'brief' })).toBeNull();
  });

  it('H1 merge: description kept when blank, raw legacy intelligence preserved, cwd wins', async () => {
    const cwd = folder('merge');
    await reg().upsert.mutate({ personality: 'merge', runtime: 'telegram', cwd, description: 'a human', intelligence: 'human' });
    const again = await reg().upsert.mutate({ personality: 'merge', runtime: 'telegram', cwd, description: '  ', intelligence: 'natural' });
    expect(again.created).toBe(false);
    expect(again.peer).toMatchObject({ description: 'a human', intelligence: 'natural', intelligence_raw: 'human' });
    expect(readFile().peers.find((p: { personality: string }) => p.personality === 'merge')?.intelligence).toBe('human');
    const moved = await reg().upsert.mutate({ personality: 'merge', runtime: 'telegram', cwd: folder('merge-moved'), intelligence: 'absent' });
    expect(moved.peer).toMatchObject({ cwd: folder('merge-moved'), intelligence_raw: 'absent', description: 'a human' });
  });

  describe('bad input is refused with its exact coded error, nothing written', () => {
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      ['../x', { personality: '../x' }, 'INVALID_PERSONALITY', /^invalid peer name "..\/x": expected a lowercase letter first/],
      ['Bad', { personality: 'Bad' }, 'INVALID_PERSONALITY', /^invalid peer name "Bad": expected a lowercase letter first/],
      ['33 chars', { personality: 'a'.repeat(33) }, 'INVALID_PERSONALITY', /^invalid peer name "a{33}": 33 characters, at most 32 allowed/],
      ['empty name', { personality: '' }, 'INVALID_PERSONALITY', /^invalid peer name "": the name is empty/],
      ['runtime with a dash', { runtime: 'my-rt' }, 'INVALID_RUNTIME', /^invalid runtime "my-rt": expected a lowercase letter then up to 31 lowercase letters or digits \(no dashes\)/],
      ['unknown intelligence', { intelligence: 'robot' }, 'INVALID_INTELLIGENCE', /^unknown intelligence "robot": expected one of artificial, natural, absent/],
      ['relative cwd', { cwd: 'rel/dir' }, 'INVALID_INPUT', /^invalid cwd "rel\/dir": expected an absolute folder path/],
    ];
    it.each(cases)('%s', async (_label, patch, code, message) => {
      const before = fs.readFileSync(sb.paths.peersFile, 'utf8');
      const err = await reg()
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- deliberately outside the contract's type: the test checks the server refuses it
        .upsert.mutate({ personality: 'okname', runtime: 'claude', cwd: folder('okname'), ...patch } as any)
        .then(() => null, (e) => e);
      expect(iapeerCodeOf(err)).toBe(code);
      expect(err.message).toMatch(message);
      expect(fs.readFileSync(sb.paths.peersFile, 'utf8')).toBe(before);
    });
  });

  it('clamps an over-long description to 450 and returns a warning', async () => {
    const r = await reg().upsert.mutate({ personality: 'longdesc', runtime: 'claude', cwd: folder('longdesc'), description: 'd'.repeat(500) });
    expect(r.warnings).toEqual(['description is 500 characters; clamped to 450']);
    expect(r.peer.description).toHaveLength(450);
    expect(readFile().peers.find((p: { personality: string }) => p.personality === 'longdesc')?.description).toHaveLength(450);
  });

  it('a name owned by another folder is refused loudly, never suffixed', async () => {
    const owner = folder('owned');
    fs.mkdirSync(path.join(owner, '.iapeer'), { recursive: true });
    fs.writeFileSync(path.join(owner, '.iapeer', 'peer-profile.json'), JSON.stringify({ personality: 'owned', default_runtime: 'claude' }));
    await reg().upsert.mutate({ personality: 'owned', runtime: 'claude', cwd: owner });
    const err = await reg().upsert.mutate({ personality: 'owned', runtime: 'claude', cwd: folder('elsewhere') }).catch((e) => e);
    expect(iapeerCodeOf(err)).toBe('PERSONALITY_TAKEN');
    expect(err.message).toBe(`peer name "owned" is already owned by ${owner}; personality and folder are 1:1 and names are never suffixed — use another folder name, or remove the other peer first (\`iapeer remove owned\`)`);
    expect((await reg().list.query()).peers.filter((p) => p.personality.startsWith('owned'))).toHaveLength(1);
  });

  it('init never picks a runtime silently: RUNTIME_UNRESOLVED without one, nothing written', async () => {
    const cwd = folder('norun');
    fs.mkdirSync(cwd, { recursive: true });
    const err = await reg().init.mutate({ cwd }).catch((e) => e);
    expect(iapeerCodeOf(err)).toBe('RUNTIME_UNRESOLVED');
    expect(err.message).toContain('no runtime for peer "norun"');
    expect(err.message).toContain('pass --runtime <name>');
    expect(fs.existsSync(path.join(cwd, '.iapeer'))).toBe(false);
    expect(await reg().get.query({ personality: 'norun' })).toBeNull();
    // a profile that names its default is a source: init without runtime then works
    fs.mkdirSync(path.join(cwd, '.iapeer'));
    fs.writeFileSync(path.join(cwd, '.iapeer', 'peer-profile.json'), JSON.stringify({ personality: 'norun', default_runtime: 'codex' }));
    expect((await reg().init.mutate({ cwd })).peer).toMatchObject({ default_runtime: 'codex', runtimes: ['codex'] });
  });

  it('init declares extra runtimes (default kept) and merges interfaces per channel into profile and record', async () => {
    const cwd = folder('faces');
    fs.mkdirSync(cwd, { recursive: true });
    await reg().init.mutate({ cwd, runtime: 'claude' });
    const added = await reg().init.mutate({ cwd, runtimes: ['codex'] });
    expect(added.peer).toMatchObject({ default_runtime: 'claude', runtimes: ['claude', 'codex'] });
    await reg().init.mutate({ cwd, interfaces: { slack: { channel: 'x' } } });
    const faced = await reg().init.mutate({ cwd, interfaces: { telegram: { bot: 'faces' } } });
    expect(faced.peer.interfaces).toEqual({ slack: { channel: 'x' }, telegram: { bot: 'faces' } });
    const profile = JSON.parse(fs.readFileSync(path.join(cwd, '.iapeer', 'peer-profile.json'), 'utf8'));
    expect(profile).toMatchObject({ default_runtime: 'claude', runtimes: ['claude', 'codex'], interfaces: { slack: { channel: 'x' }, telegram: { bot: 'faces' } } });
    expect(iapeerCodeOf(await reg().init.mutate({ cwd, interfaces: { telegram: 'faces' } }).catch((e) => e))).toBe('INVALID_INPUT');
    expect(iapeerCodeOf(await reg().init.mutate({ cwd, runtimes: ['Bad-One'] }).catch((e) => e))).toBe('INVALID_RUNTIME');
  });

  it('rename moves the record and rewrites the profile; unknown and taken names are refused', async () => {
    const cwd = folder('oldname');
    fs.mkdirSync(path.join(cwd, '.iapeer'), { recursive: true });
    fs.writeFileSync(path.join(cwd, '.iapeer', 'peer-profile.json'), JSON.stringify({ personality: 'oldname', default_runtime: 'claude', custom: 1 }));
    await reg().upsert.mutate({ personality: 'oldname', runtime: 'claude', cwd });
    const r = await reg().rename.mutate({ from: 'oldname', to: 'newname' });
    expect(r).toMatchObject({ profileRewritten: true, peer: { personality: 'newname', cwd } });
    expect(JSON.parse(fs.readFileSync(path.join(cwd, '.iapeer', 'peer-profile.json'), 'utf8'))).toEqual({ personality: 'newname', default_runtime: 'claude', custom: 1 });
    expect(await reg().get.query({ personality: 'oldname' })).toBeNull();
    expect(iapeerCodeOf(await reg().rename.mutate({ from: 'nobody', to: 'x' }).catch((e) => e))).toBe('PEER_NOT_FOUND');
    expect(iapeerCodeOf(await reg().rename.mutate({ from: 'newname', to: 'twin' }).catch((e) => e))).toBe('PERSONALITY_TAKEN');
  });
});
