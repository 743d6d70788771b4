import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolvePaths } from '@iapeer/core';
import { createFilePeerLookup } from './peer-lookup';
import { locatePluginManifest } from './plugin-manifest';

describe('locatePluginManifest', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-pm-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const put = (rel: string, manifest: unknown, mtime?: Date) => {
    const d = path.join(dir, rel);
    fs.mkdirSync(d, { recursive: true });
    const f = path.join(d, 'iapeer.json');
    fs.writeFileSync(f, typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
    if (mtime) fs.utimesSync(f, mtime, mtime);
    return d;
  };

  it('finds a plain plugin folder and a versioned cache folder, newest first, resolving ./ against the plugin', () => {
    put('claude/cache/mkt/kit/1.0.0', { setup: ['./old'] }, new Date('2020-01-01'));
    const newer = put('claude/cache/mkt/kit/1.1.0', { setup: { command: ['./setup', '-q'], timeoutSecs: 5 } }, new Date('2024-01-01'));
    put('claude/cache/mkt/other/1.0.0', { setup: ['./nope'] });
    expect(locatePluginManifest('kit', [path.join(dir, 'claude'), path.join(dir, 'missing-root')])).toEqual({ dir: newer, setup: { argv: [path.join(newer, 'setup'), '-q'], timeoutMs: 5000 } });
    const plain = put('iap/plugins/tool', { setup: ['/usr/bin/true'] });
    expect(locatePluginManifest('tool', [path.join(dir, 'iap')])?.setup?.argv).toEqual(['/usr/bin/true']);
    expect(locatePluginManifest('tool', [path.join(dir, 'iap')])?.dir).toBe(plain);
    expect(locatePluginManifest('absent', [dir])).toBeNull();
  });

  it('names the field when iapeer.json is invalid', () => {
    put('p/kit', { setup: 'rm -rf /' });
    expect(() => locatePluginManifest('kit', [path.join(dir, 'p')])).toThrow(/iapeer\.json: setup: /);
    put('q/kit', '{not json');
    expect(() => locatePluginManifest('kit', [path.join(dir, 'q')])).toThrow(/is not valid JSON/);
  });
});

describe('createFilePeerLookup (temporary, reads the registry file read-only)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-pl-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('joins the registry runtimes with the profile’s, default first; finds a peer by folder', async () => {
    const paths = resolvePaths({ HOME: dir, IAPEER_ROOT: path.join(dir, 'root') });
    const cwd = path.join(dir, 'rev');
    fs.mkdirSync(path.join(cwd, '.iapeer'), { recursive: true });
    fs.mkdirSync(paths.root);
    fs.writeFileSync(path.join(cwd, '.iapeer', 'peer-profile.json'), JSON.stringify({ personality: 'rev', default_runtime: 'claude', runtimes: ['claude', 'codex'] }));
    fs.writeFileSync(paths.peersFile, JSON.stringify({ version: 2, peers: [{ personality: 'rev', runtime: 'claude', runtimes: ['claude', 'BAD RT'], cwd }] }));
    const lookup = createFilePeerLookup(paths);
    expect(await lookup.findPeer('rev')).toEqual({ personality: 'rev', cwd, runtimes: ['claude', 'codex'] });
    expect(await lookup.peerOfFolder(cwd)).toEqual({ personality: 'rev', cwd, runtimes: ['claude', 'codex'] });
    expect(await lookup.findPeer('ghost')).toBeNull();
    expect(await lookup.peerOfFolder(dir)).toBeNull();
  });

  it('an absent registry is an empty one', async () => {
    const lookup = createFilePeerLookup(resolvePaths({ HOME: dir, IAPEER_ROOT: path.join(dir, 'none') }));
    expect(await lookup.findPeer('rev')).toBeNull();
  });
});
