import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { IapeerError } from '@iapeer/core';

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;
/** The registry file: reachable only through the registry's own private writer. */
export const REGISTRY_BASENAME = 'peers-profiles.json';

export interface AtomicWriteOptions {
  mode?: number;
}

/**
 * Writes a whole file or nothing: a temp file `.<base>.<pid>.<uuid>.tmp` in the same
 * directory, fsync, rename over the target; the temp file is removed on failure.
 * Refuses peers-profiles.json: only the registry service writes it.
 */
export function writeFileAtomic(target: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  if (path.basename(target) === REGISTRY_BASENAME) {
    throw new IapeerError(
      'REGISTRY_WRITE_FORBIDDEN',
      `refusing to write ${target}: peers-profiles.json is written only by the registry service; use its upsert/remove/rename procedures`,
      { data: { path: target } },
    );
  }
  writeAtomicUnchecked(target, data, opts.mode ?? FILE_MODE);
}

/** The primitive under writeFileAtomic. Exported under a name that says who may call it. */
export function writeAtomicUnchecked(target: string, data: string | Uint8Array, mode: number): void {
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomUUID()}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', mode);
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, target);
  } catch (err) {
    if (fd !== undefined) {
      try { fs.closeSync(fd); } catch { /* already failing: the original error is what matters */ }
    }
    try { fs.unlinkSync(tmp); } catch { /* the temp file may never have been created */ }
    throw err;
  }
}

/** mkdir -p with mode 0700 on every directory this call creates. */
export function ensureDir(dir: string, mode: number = DIR_MODE): void {
  fs.mkdirSync(dir, { recursive: true, mode });
}

/** Makes a directory's new entries (a link, a rename) durable: fsync of the directory itself. */
export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
