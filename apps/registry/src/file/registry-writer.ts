import fs from 'node:fs';
import path from 'node:path';
import { IapeerError } from '@iapeer/core';
import { REGISTRY_BASENAME, writeAtomicUnchecked } from '@iapeer/storage';

/**
 * The one function in iapeer that writes peers-profiles.json (docs/behaviour.md §3.4 "locked-writer
 * invariant"): libs/storage's writeFileAtomic refuses that basename, so every write goes
 * through the registry service's commit queue and lands here, under the file lock.
 * Temp file + fsync + rename: the file is either the old one or the new one, never half.
 */
export function writeRegistryFile(target: string, text: string): void {
  if (path.basename(target) !== REGISTRY_BASENAME) {
    throw new IapeerError('INTERNAL', `writeRegistryFile only writes ${REGISTRY_BASENAME}, got ${target}`);
  }
  writeAtomicUnchecked(target, text, 0o600);
}

const TEMP_RE = /^\.peers-profiles\.json(?:\.prev)?\.(\d+)\.[0-9a-f-]+\.tmp$/;

/**
 * A writer SIGKILLed between creating its temp file and the rename leaves
 * `.peers-profiles.json.<pid>.<uuid>.tmp` behind (the registry itself is intact). At start
 * the registry removes those of processes that are gone; a live writer's are left alone.
 * Returns the names removed.
 */
export function sweepStaleTempFiles(root: string, isAlive: (pid: number) => boolean = pidAlive): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return removed; // no root yet: nothing to sweep
  }
  for (const name of names) {
    const m = TEMP_RE.exec(name);
    if (!m || isAlive(Number(m[1]))) continue;
    fs.rmSync(path.join(root, name), { force: true });
    removed.push(name);
  }
  return removed;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
