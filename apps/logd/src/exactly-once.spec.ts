import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@iapeer/core';
import { JOURNAL_FILE, LogStore } from './log-store';

// logd's high-water marks (append-journal.ts) across a restart: a retried batch is
// recognised by positions, wherever it landed and whatever other producers wrote after it.
const TS = '2026-01-01T00:00:00.000Z';
const ln = (p: string, i: number) => `ts=${TS} ev=t p=${p} n=${String(i).padStart(3, '0')}`; // 45 chars + newline
const batch = (producer: string, seq: number, from: number, n: number) => ({
  producer,
  seq,
  retry: true,
  entries: [{ log: 'lifecycle' as const, lines: Array.from({ length: n }, (_, i) => ln(producer, from + i)) }],
});

describe('logd exactly once across a restart (LogStore + its journal, real files)', () => {
  let dir: string;
  let store: LogStore;
  const config = (env: Record<string, string> = {}) => loadConfig({ IAPEER_LIFECYCLE_LOG_MAX_BYTES: '230', IAPEER_LIFECYCLE_LOG_KEEP: '50', ...env });
  /** Every lifecycle line, oldest file first. */
  const all = () => {
    const files: string[] = [];
    for (let i = 1; fs.existsSync(path.join(dir, `lifecycle.log.${i}`)); i++) files.unshift(path.join(dir, `lifecycle.log.${i}`));
    files.push(path.join(dir, 'lifecycle.log'));
    return files.flatMap((f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').filter(Boolean) : []));
  };
  /** A logd that stops without warning: nothing is flushed or closed on purpose. */
  const restart = () => {
    store.close();
    store = new LogStore(dir, config());
  };
  beforeEach(() => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'iap-once-')), 'logs');
    store = new LogStore(dir, config());
  });
  afterEach(() => {
    store.close();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('drops a retried batch after a restart even when another producer wrote after it and the log rotated past it', () => {
    store.append(batch('a', 0, 0, 3));
    restart();
    // b writes 12 lines (rotating at 230 bytes, 5 lines a file): a's batch is in a rotated file now
    store.append(batch('b', 0, 0, 12));
    expect(fs.existsSync(path.join(dir, 'lifecycle.log.2'))).toBe(true);
    expect(store.append(batch('a', 0, 0, 3))).toEqual({ written: 0, duplicate: 3 });
    expect(store.append(batch('a', 1, 3, 2))).toEqual({ written: 2, duplicate: 0 });
    expect(all().filter((l) => l.includes('p=a '))).toEqual([0, 1, 2, 3, 4].map((i) => ln('a', i)));
  });

  it('a batch cut by the crash (its first line landed): the retry writes only the rest, even after others wrote', () => {
    store.append(batch('a', 0, 0, 1));
    restart();
    store.close();
    // what a SIGKILL between two writes of one batch leaves: its journal record, then part of its lines
    const end = all().reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
    const lines = batch('a', 1, 1, 3).entries[0].lines;
    fs.appendFileSync(path.join(dir, JOURNAL_FILE), JSON.stringify({ p: 'a', s: 1, at: { lifecycle: { at: end, bytes: lines.join('\n').length + 1 } } }) + '\n');
    fs.appendFileSync(path.join(dir, 'lifecycle.log'), lines[0] + '\n');
    store = new LogStore(dir, config());
    store.append(batch('b', 0, 0, 2)); // another producer gets in first
    restart(); // and logd dies again before a's retry: the partial is remembered on disk
    expect(store.append(batch('a', 1, 1, 3))).toEqual({ written: 2, duplicate: 1 });
    expect(store.append(batch('a', 1, 1, 3))).toEqual({ written: 0, duplicate: 3 });
    expect(all().filter((l) => l.includes('p=a '))).toEqual([0, 1, 2, 3].map((i) => ln('a', i)));
    expect(all().filter((l) => l.includes('p=b '))).toEqual([ln('b', 0), ln('b', 1)]);
  });

  it('a batch whose record is on disk but none of whose lines landed is written in full by its retry', () => {
    store.close();
    const lines = batch('a', 0, 0, 2).entries[0].lines;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.appendFileSync(path.join(dir, JOURNAL_FILE), JSON.stringify({ p: 'a', s: 0, at: { lifecycle: { at: 0, bytes: lines.join('\n').length + 1 } } }) + '\n');
    store = new LogStore(dir, config());
    store.append(batch('b', 0, 0, 1));
    expect(store.append(batch('a', 0, 0, 2))).toEqual({ written: 2, duplicate: 0 });
    expect(all()).toEqual([ln('b', 0), ln('a', 0), ln('a', 1)]);
  });

  it('keeps the journal bounded: many batches compact it to one record per producer, marks intact', () => {
    for (let s = 0; s < 5000; s++) store.append({ producer: `p${s % 3}`, seq: Math.floor(s / 3), entries: [{ log: 'delivery', lines: [`ts=${TS} ev=x s=${s}`] }] });
    expect(fs.readFileSync(path.join(dir, JOURNAL_FILE), 'utf8').split('\n').filter(Boolean).length).toBeLessThan(4200);
    restart();
    expect(store.append({ producer: 'p1', seq: 1666, entries: [{ log: 'delivery', lines: [`ts=${TS} ev=x again`] }] })).toEqual({ written: 0, duplicate: 1 });
    expect(fs.statSync(path.join(dir, JOURNAL_FILE)).mode & 0o777).toBe(0o600);
  });
});
