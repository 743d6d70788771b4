import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolvePaths } from '@iapeer/core';
import { clearMarker, ensureGlobalScaffold, hasMarker, readMarker, writeFileAtomic, writeMarker, assertPrivateDir, assertSandboxAllows } from './index';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'iap-storage-'));

describe('writeFileAtomic', () => {
  it('writes the whole file with mode 0600 and leaves no temp file', () => {
    const dir = tmp();
    const file = path.join(dir, 'a.json');
    writeFileAtomic(file, 'one');
    writeFileAtomic(file, 'two');
    expect(fs.readFileSync(file, 'utf8')).toBe('two');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['a.json']);
  });

  it('removes the temp file and keeps the old content when the rename fails', () => {
    const dir = tmp();
    const target = path.join(dir, 'taken');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'x'), 'x'); // rename over a non-empty dir fails
    expect(() => writeFileAtomic(target, 'data')).toThrow();
    expect(fs.readdirSync(dir)).toEqual(['taken']);
  });

  it('refuses peers-profiles.json with a coded error naming the way through', () => {
    const file = path.join(tmp(), 'peers-profiles.json');
    expect(() => writeFileAtomic(file, '{}')).toThrow(/only by the registry service/);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('markers', () => {
  it('hold one ISO line and clear idempotently', () => {
    const file = path.join(tmp(), 'claude-bob.stopped');
    const at = new Date('2026-01-02T03:04:05.000Z');
    writeMarker(file, at);
    expect(fs.readFileSync(file, 'utf8')).toBe('2026-01-02T03:04:05.000Z\n');
    expect(readMarker(file)).toEqual(at);
    expect(hasMarker(file)).toBe(true);
    expect(clearMarker(file)).toBe(true);
    expect(clearMarker(file)).toBe(false);
    expect(readMarker(file)).toBeNull();
  });
});

describe('scaffold', () => {
  it('creates the global tree with 0700 dirs and no file (the registry makes its own lock file)', () => {
    const root = path.join(tmp(), 'root');
    const paths = resolvePaths({ HOME: '/nowhere', IAPEER_ROOT: root });
    ensureGlobalScaffold(paths);
    for (const d of [paths.root, paths.serviceSockDir, paths.lifecycleDir, paths.eventLogDir, paths.paneLogDir, paths.runtimesDir, paths.peersDir]) {
      expect(fs.statSync(d).mode & 0o777).toBe(0o700);
    }
    expect(fs.existsSync(paths.peersLock)).toBe(false);
  });

  it('refuses a world-writable state dir with the chmod that fixes it', () => {
    const dir = tmp();
    fs.chmodSync(dir, 0o777);
    expect(() => assertPrivateDir(dir)).toThrow(`run \`chmod 700 ${dir}\``);
  });

  it('sandbox flag refuses the real ~/.iapeer', () => {
    const env = { HOME: '/home/x', IAPEER_TEST_SANDBOX: '1' };
    expect(() => assertSandboxAllows(resolvePaths(env), env)).toThrow(/refuses to write the real/);
    const ok = { ...env, IAPEER_ROOT: '/tmp/elsewhere' };
    expect(() => assertSandboxAllows(resolvePaths(ok), ok)).not.toThrow();
  });
});
