import fs from 'node:fs';
import type { Corruption } from '@iapeer/contracts';
import { parseIndex, type ParsedIndex } from './parse-index';
import { serializeIndex } from './serialize-index';
import { writeRegistryFile } from './registry-writer';
import type { PeersIndex, StoredPeer } from './peer-record';

/** What is on disk right now, parsed, with the raw text kept for salvage and backups. */
export interface Snapshot extends ParsedIndex {
  text: string | null;
  corrupt: Corruption | null;
}

/**
 * Reads and writes peers-profiles.json, caching the parse by (inode, size, mtime):
 * every write is a rename, so a change by anyone gives a new inode and a fresh read.
 */
export class IndexFile {
  private cache: { key: string; snap: Snapshot } | undefined;
  private good: Map<string, StoredPeer> | undefined;

  constructor(readonly file: string) {}

  read(): Snapshot {
    let st: fs.Stats;
    try {
      st = fs.statSync(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return this.snapshot(null);
      return this.unreadable(err as Error);
    }
    const key = `${st.ino}:${st.size}:${st.mtimeMs}`;
    if (this.cache?.key === key) return this.cache.snap;
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return this.snapshot(null);
      return this.unreadable(err as Error);
    }
    const snap = this.snapshot(text);
    this.cache = { key, snap };
    return snap;
  }

  /**
   * The records of the last file this process read whole or wrote: what the running
   * registry knows, kept when the file is later damaged (a rebuild unions it in).
   */
  lastGood(): Map<string, StoredPeer> | undefined {
    return this.good;
  }

  /** Serialize, write atomically (fsync + rename) and remember what we wrote. */
  write(index: PeersIndex): void {
    const text = serializeIndex(index);
    writeRegistryFile(this.file, text);
    this.good = new Map(index.peers);
    const st = fs.statSync(this.file);
    this.cache = { key: `${st.ino}:${st.size}:${st.mtimeMs}`, snap: { index, warnings: [], problems: [], text, corrupt: null } };
  }

  private snapshot(text: string | null): Snapshot {
    const parsed = parseIndex(text);
    const corrupt = parsed.problems.length ? { path: this.file, reason: parsed.problems.join('; ') } : null;
    if (!corrupt && text !== null) this.good = new Map(parsed.index.peers);
    return { ...parsed, text, corrupt };
  }

  private unreadable(err: Error): Snapshot {
    const snap = this.snapshot(null);
    return { ...snap, corrupt: { path: this.file, reason: `unreadable (${(err as NodeJS.ErrnoException).code ?? err.message})` } };
  }
}
