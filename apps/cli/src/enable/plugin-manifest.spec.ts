import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
