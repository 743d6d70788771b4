import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { IapeerError, errorMessage, parseIdentity } from '@iapeer/core';
import { ensureDir, fsyncDir } from '@iapeer/storage';

/** One queued message of an ephemeral worker (§7.7): the envelope its session will start with. */
export interface QueueItem {
  task: string;
  topic?: string;
  /** A keyed send's id: the same send is never queued twice. */
  sendId?: string;
  /** ISO time of the enqueue. */
  at: string;
}

/** The head of a queue: its item, or why the file could not be read (it is dropped). */
export type QueueHead = { seq: string; item: QueueItem } | { seq: string; corrupt: string };

export interface EnqueueOutcome {
  seq: string;
  depth: number;
  duplicate: boolean;
}

const SEQ_RE = /^\d{6}$/;
const QUEUE_SUFFIX = '.queue';
/** §7.7: a lost race for the next number is retried, at most this many times. */
const MAX_LINK_ATTEMPTS = 1000;

/**
 * The ephemeral FIFO of each identity: `<lifecycle>/<identity>.queue/NNNNNN`, one JSON
 * item per file, six-digit sequence numbers. An enqueue writes a temp file (fsync), then
 * `link`s it to the next number: link fails with EEXIST instead of replacing, so two
 * writers can never take the same number, and an item is either whole or absent. The
 * directory is fsynced before the enqueue answers: an accepted message survives a crash.
 */
export class EphemeralQueue {
  /** `maxDepth`: a full queue refuses one more (QUEUE_FULL), so its folder stays bounded. */
  constructor(
    readonly lifecycleDir: string,
    readonly maxDepth: number = Number.POSITIVE_INFINITY,
  ) {}

  dir(identity: string): string {
    if (!parseIdentity(identity)) {
      throw new IapeerError('INVALID_INPUT', `invalid identity ${JSON.stringify(identity)}: expected <runtime>-<personality>, e.g. claude-bob`, { data: { identity } });
    }
    return path.join(this.lifecycleDir, `${identity}${QUEUE_SUFFIX}`);
  }

  /** The item numbers, oldest first. */
  seqs(identity: string): string[] {
    try {
      return fs.readdirSync(this.dir(identity)).filter((n) => SEQ_RE.test(n)).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  depth(identity: string): number {
    return this.seqs(identity).length;
  }

  /** Identities with at least one queued item, sorted. */
  identities(): string[] {
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.lifecycleDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return names
      .filter((n) => n.endsWith(QUEUE_SUFFIX))
      .map((n) => n.slice(0, -QUEUE_SUFFIX.length))
      .filter((id) => parseIdentity(id) !== null && this.depth(id) > 0)
      .sort();
  }

  enqueue(identity: string, item: QueueItem): EnqueueOutcome {
    const dir = this.dir(identity);
    try {
      ensureDir(dir);
      if (item.sendId) {
        const seqs = this.seqs(identity);
        const same = seqs.find((seq) => this.readItem(identity, seq)?.sendId === item.sendId);
        if (same) return { seq: same, depth: seqs.length, duplicate: true };
      }
      const depth = this.seqs(identity).length;
      if (depth >= this.maxDepth) {
        throw new IapeerError(
          'QUEUE_FULL',
          `${identity}'s queue already holds ${depth} messages (IAPEER_EPHEMERAL_QUEUE_MAX=${this.maxDepth}): message NOT queued — retry once the worker has drained some, or raise IAPEER_EPHEMERAL_QUEUE_MAX`,
          { data: { identity, depth } },
        );
      }
      const tmp = path.join(dir, `.item.${process.pid}.${randomUUID()}.tmp`);
      const fd = fs.openSync(tmp, 'wx', 0o600);
      try {
        fs.writeFileSync(fd, JSON.stringify(item) + '\n');
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      try {
        for (let attempt = 0; attempt < MAX_LINK_ATTEMPTS; attempt++) {
          const seqs = this.seqs(identity);
          const next = seqs.length === 0 ? 1 : Number(seqs[seqs.length - 1]) + 1;
          if (next > 999_999) throw new Error(`${dir} holds item 999999: no sequence number is left`);
          const seq = String(next).padStart(6, '0');
          try {
            fs.linkSync(tmp, path.join(dir, seq));
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue; // another writer took it: the next one
            throw err;
          }
          fsyncDir(dir);
          return { seq, depth: this.seqs(identity).length, duplicate: false };
        }
        throw new Error(`no free sequence number in ${dir} after ${MAX_LINK_ATTEMPTS} attempts`);
      } finally {
        fs.rmSync(tmp, { force: true });
      }
    } catch (err) {
      if (err instanceof IapeerError && err.code === 'QUEUE_FULL') throw err;
      throw new IapeerError('EPHEMERAL_QUEUE_FAILED', `the message for ${identity} could not be queued in ${dir}: ${errorMessage(err)}; message NOT queued — retry the send`, {
        cause: err,
        data: { identity },
      });
    }
  }

  /** The oldest item, or null when the queue is empty. */
  peek(identity: string): QueueHead | null {
    const [seq] = this.seqs(identity);
    if (seq === undefined) return null;
    let text: string;
    try {
      text = fs.readFileSync(path.join(this.dir(identity), seq), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return this.peek(identity); // taken meanwhile
      throw err; // an I/O failure is no proof of a bad item: never drop a message for it
    }
    const item = parseItem(text);
    return item ? { seq, item } : { seq, corrupt: 'not a queue item {task, at}' };
  }

  /** Removes one item (after its session took it, or because it is corrupt). */
  remove(identity: string, seq: string): void {
    fs.rmSync(path.join(this.dir(identity), seq), { force: true });
  }

  private readItem(identity: string, seq: string): QueueItem | null {
    try {
      return parseItem(fs.readFileSync(path.join(this.dir(identity), seq), 'utf8'));
    } catch {
      return null; // a vanished or unreadable item is no duplicate
    }
  }
}

function parseItem(text: string): QueueItem | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const x = raw as Record<string, unknown>;
  if (typeof x !== 'object' || x === null || typeof x.task !== 'string' || x.task.length === 0 || typeof x.at !== 'string') return null;
  if (x.topic !== undefined && typeof x.topic !== 'string') return null;
  if (x.sendId !== undefined && typeof x.sendId !== 'string') return null;
  return { task: x.task, at: x.at, ...(x.topic !== undefined && { topic: x.topic as string }), ...(x.sendId !== undefined && { sendId: x.sendId as string }) };
}

