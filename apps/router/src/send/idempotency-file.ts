/**
 * The idempotency store on disk: `<root>/state/iapeer/idempotency.json`, rewritten
 * atomically (temp + fsync + rename, 0600) before a keyed send starts (its pending
 * record) and after it succeeds.
 */
import { readTextIfExists, writeFileAtomic } from '@iapeer/storage';
import type { IdempotencyPersistence, IdempotencyRecord } from './idempotency';

export const IDEMPOTENCY_FILE = 'idempotency.json';

export function createIdempotencyFile(file: string, onCorrupt: (err: unknown) => void = () => undefined): IdempotencyPersistence {
  return {
    load() {
      const text = readTextIfExists(file);
      if (text === null) return [];
      try {
        const parsed = JSON.parse(text) as { version?: number; entries?: unknown[] };
        return Array.isArray(parsed.entries) ? parsed.entries.filter(isEntry) : [];
      } catch (err) {
        // only possible if written by something else (our writes are atomic); the next save replaces it
        onCorrupt(err);
        return [];
      }
    },
    save(entries) {
      writeFileAtomic(file, JSON.stringify({ version: 1, entries }) + '\n');
    },
  };
}

function isEntry(e: unknown): e is IdempotencyRecord {
  const x = e as Record<string, unknown>;
  if (typeof x !== 'object' || x === null || typeof x.k !== 'string' || typeof x.fp !== 'string' || typeof x.at !== 'number') return false;
  return x.pending === true || (typeof x.result === 'object' && x.result !== null);
}
