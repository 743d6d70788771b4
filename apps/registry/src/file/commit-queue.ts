import { IapeerError, type IapeerPaths } from '@iapeer/core';
import type { Corruption } from '@iapeer/contracts';
import { GenerationFile, type Tombstone } from './generation-file';
import type { IndexFile, Snapshot } from './index-file';
import type { StoredPeer } from './peer-record';
import { withPeersLock } from './peers-lock';

/** The state a batch of operations edits, one after the other, before the single write. */
export interface Draft {
  peers: Map<string, StoredPeer>;
  /** The file as read under the lock at the start of this batch. */
  snapshot: Snapshot;
  /** Still set while the file is corrupt; only a rebuild (`overwriteCorrupt`) may clear it. */
  corrupt: Corruption | null;
  /** Peers removed so far (kept in the generation file): a rebuild never brings them back. */
  removed: ReadonlyMap<string, Tombstone>;
  /** The previous good generation on disk (a rebuild source), if any. */
  previous: ReadonlyMap<string, StoredPeer> | undefined;
  /** What this running registry last read whole or wrote (a rebuild source), if anything. */
  memory: ReadonlyMap<string, StoredPeer> | undefined;
}

/**
 * One registry write. `apply` validates first and edits the draft last, so a throw
 * leaves the draft untouched and fails only this operation. `changed: false` skips the
 * write when nothing in the batch changed (an idempotent remove costs no fsync).
 */
export interface Operation<T> {
  apply(draft: Draft): { value: T; changed: boolean };
  /** May run on a corrupt file (the `verify --fix` rebuild); every other op is refused there. */
  overwriteCorrupt?: boolean;
}

interface Queued {
  op: Operation<unknown>;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

export interface CommitStats {
  batches: number;
  operations: number;
  writes: number;
  maxBatch: number;
}

export function corruptError(c: Corruption): IapeerError {
  return new IapeerError(
    'REGISTRY_CORRUPT',
    `peers-profiles.json corrupted at ${c.path}: ${c.reason}. Writes are refused so nothing more is lost; restore the file from a backup, or rebuild it from the peer profiles with \`iapeer verify --fix\``,
    { data: { path: c.path, reason: c.reason } },
  );
}

/**
 * Group commit: operations queue up while a write is in flight; the next batch applies
 * all of them to one draft and does ONE atomic write (temp + fsync + rename) under the
 * file lock; each caller is answered only after that write is durable. Concurrent writers
 * never contend for the lock among themselves, and a batch of N costs one fsync.
 */
export class CommitQueue {
  private pending: Queued[] = [];
  private running = false;
  private readonly generation: GenerationFile;
  /** Loaded from the generation file on the first commit, then kept here. */
  private tombstones: Map<string, Tombstone> | undefined;
  private previous: Map<string, StoredPeer> | undefined;
  readonly stats: CommitStats = { batches: 0, operations: 0, writes: 0, maxBatch: 0 };

  constructor(
    private readonly file: IndexFile,
    private readonly paths: IapeerPaths,
    private readonly onContention?: (attempt: number) => void,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.generation = new GenerationFile(file.file);
  }

  /** The tombstones and previous generation as the next commit will see them. */
  rebuildSources(): { removed: ReadonlyMap<string, Tombstone>; previous: ReadonlyMap<string, StoredPeer> | undefined } {
    this.loadGeneration();
    return { removed: this.tombstones!, previous: this.previous };
  }

  private loadGeneration(): void {
    if (this.tombstones) return;
    const gen = this.generation.read();
    this.tombstones = gen?.removed ?? new Map();
    this.previous = gen?.peers;
  }

  submit<T>(op: Operation<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ op, resolve: resolve as (v: unknown) => void, reject });
      void this.drain();
    });
  }

  /** Resolves when every queued operation has been answered (used on shutdown). */
  async idle(): Promise<void> {
    while (this.running || this.pending.length) await new Promise((r) => setImmediate(r));
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      // one lock for a whole busy period: taken when work arrives, released when the queue
      // is empty (its mtime is refreshed every second meanwhile, so it never looks stale)
      await withPeersLock(this.paths, () => this.commitWhilePending(), undefined, { onContention: this.onContention }).catch((err) => {
        for (const q of this.pending.splice(0)) q.reject(err);
      });
    } finally {
      this.running = false;
    }
    if (this.pending.length) void this.drain(); // arrived while the lock was being released
  }

  private async commitWhilePending(): Promise<void> {
    while (this.pending.length) {
      // let requests that arrived during the last write join this batch
      await new Promise((r) => setImmediate(r));
      const batch = this.pending.splice(0);
      this.stats.batches++;
      this.stats.operations += batch.length;
      this.stats.maxBatch = Math.max(this.stats.maxBatch, batch.length);
      try {
        this.commit(batch);
      } catch (err) {
        // the write failed: nothing in this batch was acknowledged
        for (const q of batch) q.reject(err);
      }
    }
  }

  private commit(batch: Queued[]): void {
    const snapshot = this.file.read();
    this.loadGeneration();
    const draft: Draft = {
      peers: new Map(snapshot.index.peers),
      snapshot,
      corrupt: snapshot.corrupt,
      removed: this.tombstones!,
      previous: this.previous,
      memory: this.file.lastGood(),
    };
    const done: { q: Queued; value: unknown }[] = [];
    let changed = false;
    for (const q of batch) {
      if (draft.corrupt && !q.op.overwriteCorrupt) {
        q.reject(corruptError(draft.corrupt));
        continue;
      }
      try {
        const r = q.op.apply(draft);
        changed ||= r.changed;
        done.push({ q, value: r.value });
      } catch (err) {
        q.reject(err);
      }
    }
    if (changed) {
      // the generation first: if we die between the two writes, the old file is still whole
      // and the generation already holds it and this batch's tombstones
      const good = snapshot.corrupt === null && snapshot.text !== null ? snapshot.index.peers : this.previous;
      const removed = nextTombstones(this.tombstones!, snapshot.corrupt === null ? snapshot.index.peers : undefined, draft.peers, this.now());
      // throws to drain(), which fails the whole batch: nothing was acknowledged
      if (good || removed.size > 0) this.generation.write(snapshot.index.version, { peers: good ?? new Map(), removed });
      this.file.write({ version: snapshot.index.version, extra: snapshot.index.extra, peers: draft.peers });
      this.tombstones = removed;
      this.previous = good;
      this.stats.writes++;
    }
    for (const { q, value } of done) q.resolve(value);
  }
}

/**
 * Tombstones after a commit: a name the file had and the new one lacks was removed (or
 * renamed away); a name the new file has is alive again (re-created) and loses its stone.
 * Without a whole old file (a rebuild of a damaged one) only the second rule applies.
 */
function nextTombstones(current: ReadonlyMap<string, Tombstone>, before: ReadonlyMap<string, StoredPeer> | undefined, after: ReadonlyMap<string, StoredPeer>, now: Date): Map<string, Tombstone> {
  const out = new Map(current);
  for (const [name, rec] of before ?? []) {
    if (!after.has(name)) {
      out.delete(name); // re-inserted last: the newest stones are kept when the list is trimmed
      out.set(name, { cwd: rec.cwd, at: now.toISOString() });
    }
  }
  for (const name of after.keys()) out.delete(name);
  return out;
}
