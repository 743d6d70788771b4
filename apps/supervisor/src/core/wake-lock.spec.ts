import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKeyedSerializer } from '@iapeer/core';
import { createWakeLock } from './wake-lock';

describe('wake lock', () => {
  it('serialises one identity in-process and lets other identities run alongside', async () => {
    const mutex = createKeyedSerializer();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a1 = mutex.run('a', async () => {
      log.push('a1 start');
      await gate;
      log.push('a1 end');
    });
    const a2 = mutex.run('a', async () => void log.push('a2'));
    const b = mutex.run('b', async () => void log.push('b'));
    await b;
    expect(log).toEqual(['a1 start', 'b']);
    expect(mutex.busy('a')).toBe(true);
    release();
    await Promise.all([a1, a2]);
    expect(log).toEqual(['a1 start', 'b', 'a1 end', 'a2']);
    expect(mutex.busy('a')).toBe(false);
  });

  it('the lockfile is a second line: two independent lock owners (two supervisors) still never overlap', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-lock-'));
    const file = path.join(dir, 'claude-bob.wake.lock');
    const lockA = createWakeLock(createKeyedSerializer());
    const lockB = createWakeLock(createKeyedSerializer());
    let inside = 0;
    let maxInside = 0;
    const body = async () => {
      inside++;
      maxInside = Math.max(maxInside, inside);
      expect(fs.statSync(file).isDirectory()).toBe(true);
      await new Promise((r) => setImmediate(r));
      inside--;
    };
    await Promise.all([lockA('claude-bob', file, body), lockB('claude-bob', file, body), lockA('claude-bob', file, body)]);
    expect(maxInside).toBe(1);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('releases the lock when the body throws', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-lock-'));
    const file = path.join(dir, 'claude-bob.wake.lock');
    const lock = createWakeLock();
    await expect(lock('claude-bob', file, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock('claude-bob', file, async () => 'ok')).resolves.toBe('ok');
  });
});
