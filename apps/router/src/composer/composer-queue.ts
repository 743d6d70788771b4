/**
 * The composer hold's queue (§6.4): per target identity, FIFO, one JSON file per held
 * message under `<state>/iapeer/composer-queue/<identity>/NNNNNN.json`. The router is its
 * one writer, and every write of one target runs under that target's send lock (the
 * router's KeyedSerializer), so numbering needs no cross-process race handling. Each file
 * is written whole (temp + fsync + rename through the fs port): a SIGKILL leaves an item
 * either complete or absent, and an accepted message survives a router restart.
 */
import { parseIdentity } from '@iapeer/core';
import type { DeliveryTarget } from '../ports';

/** Why a message is held: a human typing in the input row, or a dialog a paste would answer. */
export type HoldReason = 'held' | 'waiting';

export interface ComposerItem {
  /** The message's id (`queueId` in the send result; the send id of a keyed send). */
  id: string;
  /** A keyed send's id: a retried send is never queued twice. */
  sendId?: string;
  target: DeliveryTarget;
  /** The IAP envelope, pasted as it is when the input row is free. */
  envelope: string;
  /** Who sent it: a peer identity, or `iapeer` for the foundation's own notices (never notified). */
  sender: string;
  /** `notice`: the foundation's own "delivery failed" message (its failure notifies nobody). */
  kind: 'send' | 'notice';
  topic?: string;
  /** Epoch ms of the enqueue: the queue timeout counts from here. */
  at: number;
  /** The target session's token when it was queued (`pid:<n>`): another token = the session was replaced. */
  token: string | null;
  because: HoldReason;
  /** Set right before the paste: an item found with it after a restart may have landed. */
  attempted?: boolean;
}

/** The file operations the queue needs; production: node fs (./queue-fs.ts), tests: a map. */
export interface QueueFs {
  /** Entry names of a directory; [] when it does not exist. */
  list(dir: string): string[];
  /** The file's text, or null when it does not exist. */
  read(file: string): string | null;
  /** Writes the whole file atomically (parents made as needed). */
  write(file: string, text: string): void;
  /** Removes a file; no error when it is gone. */
  remove(file: string): void;
}

const ITEM_RE = /^(\d{6})\.json$/;

export class ComposerQueue {
  constructor(
    readonly dir: string,
    private readonly fs: QueueFs,
    /** A file that is not a queue item (a hand edit, a foreign file): reported, then moved out of the way. */
    private readonly onCorrupt: (file: string) => void = () => undefined,
  ) {}

  /** Identities that have at least one held message, sorted. */
  identities(): string[] {
    return this.fs
      .list(this.dir)
      .filter((n) => parseIdentity(n) !== null && this.names(n).length > 0)
      .sort();
  }

  depth(identity: string): number {
    return this.names(identity).length;
  }

  /** Appends a message; an item with the same sendId already held is not added again. */
  enqueue(item: ComposerItem): { depth: number; duplicate: boolean } {
    const identity = item.target.identity;
    const names = this.names(identity);
    if (item.sendId && this.items(identity).some((i) => i.sendId === item.sendId)) return { depth: names.length, duplicate: true };
    const last = names.length === 0 ? 0 : Number(ITEM_RE.exec(names[names.length - 1])![1]);
    this.fs.write(this.file(identity, last + 1), JSON.stringify(item) + '\n');
    return { depth: names.length + 1, duplicate: false };
  }

  /** The oldest message of one target, or null. */
  head(identity: string): ComposerItem | null {
    return this.items(identity)[0] ?? null;
  }

  /** Every held message of one target, oldest first (unreadable files are set aside). */
  items(identity: string): ComposerItem[] {
    const out: ComposerItem[] = [];
    for (const name of this.names(identity)) {
      const file = `${this.dir}/${identity}/${name}`;
      const text = this.fs.read(file);
      if (text === null) continue; // removed meanwhile
      const item = parseItem(text);
      if (item) out.push(item);
      else {
        this.onCorrupt(file);
        this.fs.remove(file);
      }
    }
    return out;
  }

  /** A held message by id, wherever it waits. */
  find(id: string): ComposerItem | null {
    for (const identity of this.identities()) {
      const hit = this.items(identity).find((i) => i.id === id);
      if (hit) return hit;
    }
    return null;
  }

  /** Rewrites one item in place (the `attempted` mark before a paste). */
  update(item: ComposerItem): void {
    const name = this.nameOf(item);
    if (name) this.fs.write(`${this.dir}/${item.target.identity}/${name}`, JSON.stringify(item) + '\n');
  }

  remove(item: ComposerItem): void {
    const name = this.nameOf(item);
    if (name) this.fs.remove(`${this.dir}/${item.target.identity}/${name}`);
  }

  private nameOf(item: ComposerItem): string | undefined {
    const identity = item.target.identity;
    return this.names(identity).find((n) => parseItem(this.fs.read(`${this.dir}/${identity}/${n}`) ?? '')?.id === item.id);
  }

  private names(identity: string): string[] {
    return this.fs
      .list(`${this.dir}/${identity}`)
      .filter((n) => ITEM_RE.test(n))
      .sort();
  }

  private file(identity: string, seq: number): string {
    return `${this.dir}/${identity}/${String(seq).padStart(6, '0')}.json`;
  }
}

function parseItem(text: string): ComposerItem | null {
  let x: Record<string, unknown>;
  try {
    x = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof x !== 'object' || x === null) return null;
  const t = x.target as Record<string, unknown> | undefined;
  const okTarget = typeof t === 'object' && t !== null && ['personality', 'runtime', 'identity', 'cwd'].every((k) => typeof t[k] === 'string');
  if (!okTarget || typeof x.id !== 'string' || typeof x.envelope !== 'string' || typeof x.sender !== 'string' || typeof x.at !== 'number') return null;
  if (x.because !== 'held' && x.because !== 'waiting') return null;
  if (x.kind !== 'send' && x.kind !== 'notice') return null;
  return x as unknown as ComposerItem;
}
