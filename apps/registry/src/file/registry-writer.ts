import path from 'node:path';
import { IapeerError } from '@iapeer/core';
import { REGISTRY_BASENAME, writeAtomicUnchecked } from '@iapeer/storage';

/**
 * The one function in iapeer that writes peers-profiles.json (BEHAVIOUR §3.4 "locked-writer
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
