import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { profilePath, readPeerProfile, writePeerProfile } from './profile-file';

describe('peer-profile.json reader and writer', () => {
  // a plain temp dir: a lib may not import libs/testing, and nothing here touches the iapeer root
  const sb = { dir: '' };
  beforeEach(() => (sb.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-profiles-'))));
  afterEach(() => fs.rmSync(sb.dir, { recursive: true, force: true }));

  const folder = (name: string, text?: string) => {
    const cwd = path.join(sb.dir, name);
    fs.mkdirSync(path.join(cwd, '.iapeer'), { recursive: true });
    if (text !== undefined) fs.writeFileSync(profilePath(cwd), text);
    return cwd;
  };

  it('reads every known field, legacy values as they are, and keeps foreign sections', () => {
    const cwd = folder('a', JSON.stringify({ personality: 'amy', runtime: 'codex', intelligence: 'human', wake_policy: 'ephemeral', initial_prompt: 'hi', interfaces: { telegram: { bot: 'b' } }, notifier: { on: true } }));
    expect(readPeerProfile(cwd)).toEqual({
      state: 'ok',
      profile: { personality: 'amy', runtime: 'codex', intelligence: 'human', wake_policy: 'ephemeral', initial_prompt: 'hi', interfaces: { telegram: { bot: 'b' } }, notifier: { on: true } },
    });
  });

  it('says missing for no file or no folder, invalid (with why) for bad JSON or a bad shape', () => {
    expect(readPeerProfile(folder('none'))).toEqual({ state: 'missing' });
    expect(readPeerProfile(path.join(sb.dir, 'nowhere'))).toEqual({ state: 'missing' });
    expect(readPeerProfile(folder('j', '{oops'))).toMatchObject({ state: 'invalid', reason: expect.stringMatching(/^not valid JSON/) });
    expect(readPeerProfile(folder('arr', '[]'))).toEqual({ state: 'invalid', reason: 'not a JSON object' });
    expect(readPeerProfile(folder('t', JSON.stringify({ personality: 5 })))).toMatchObject({ state: 'invalid', reason: expect.stringMatching(/^personality: /) });
    expect(readPeerProfile(folder('i', JSON.stringify({ interfaces: 'x' })))).toMatchObject({ state: 'invalid', reason: expect.stringMatching(/^interfaces: /) });
  });

  it('writes known fields first in their order, unknown ones after, pretty with a newline, mode 0644', () => {
    const cwd = path.join(sb.dir, 'w');
    const file = writePeerProfile(cwd, { expansion: { x: 1 }, intelligence: 'artificial', personality: 'w', default_runtime: 'claude' });
    expect(file).toBe(profilePath(cwd));
    expect(fs.readFileSync(file, 'utf8')).toBe(JSON.stringify({ personality: 'w', default_runtime: 'claude', intelligence: 'artificial', expansion: { x: 1 } }, null, 2) + '\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o644);
    expect(readPeerProfile(cwd)).toMatchObject({ state: 'ok', profile: { personality: 'w' } });
  });
});
