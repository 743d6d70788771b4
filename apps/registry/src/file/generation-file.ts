import fs from 'node:fs';
import { writeAtomicUnchecked } from '@iapeer/storage';
import { parseIndex } from './parse-index';
import type { StoredPeer } from './peer-record';
import { serializeIndex } from './serialize-index';

/** A peer the registry removed (or renamed away): a rebuild must not bring it back. */
export interface Tombstone {
  cwd: string;
  at: string;
}

/** What `peers-profiles.json.prev` holds: the previous good generation and every tombstone. */
export interface Generation {
  peers: Map<string, StoredPeer>;
  removed: Map<string, Tombstone>;
}

/** Tombstones kept (oldest dropped first): enough for any real registry, bounded on disk. */
const MAX_TOMBSTONES = 2000;

export const generationPath = (peersFile: string) => `${peersFile}.prev`;

/**
 * `peers-profiles.json.prev`: on every commit the registry writes here, atomically and
 * before the new registry file, the generation it is replacing (when that one was good)
 * plus the tombstones of every removal so far. It is in the registry's own format (a
 * `removed` top-level key added), so a human can copy it back. Written only by the
 * registry service, under the registry lock.
 */
export class GenerationFile {
  readonly file: string;

  constructor(peersFile: string) {
    this.file = generationPath(peersFile);
  }

  /** Null when absent or unreadable: a rebuild then does without it. */
  read(): Generation | null {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return null; // no commit yet, or unreadable: one source less for a rebuild
    }
    const parsed = parseIndex(text);
    const removed = new Map<string, Tombstone>();
    const raw = parsed.index.extra.removed;
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      for (const [name, t] of Object.entries(raw as Record<string, Partial<Tombstone>>)) {
        if (t && typeof t.cwd === 'string') removed.set(name, { cwd: t.cwd, at: typeof t.at === 'string' ? t.at : '' });
      }
    }
    return { peers: parsed.index.peers, removed };
  }

  write(version: number, gen: Generation): void {
    const removed = [...gen.removed].slice(-MAX_TOMBSTONES);
    const text = serializeIndex({ version, peers: gen.peers, extra: { removed: Object.fromEntries(removed) } });
    writeAtomicUnchecked(this.file, text, 0o600);
  }
}
