import fs from 'node:fs';
import path from 'node:path';
import { IapeerError, parseIdentity } from '@iapeer/core';
import { clearMarker, ensureDir, hasMarker, readJsonFile, writeFileAtomic, writeMarker } from '@iapeer/storage';

/** What `.session` holds: the only thing that enrols a session into supervision (§7.2). */
export interface SessionRecord {
  identity: string;
  runtime: string;
  personality: string;
  cwd: string;
  /** ISO time of the wake that brought this session up (or of its re-adoption). */
  wokeAt: string;
  /** The profile's wake_policy when the session came up: an `ephemeral` one gets the quiet reap (§7.6). */
  wakePolicy?: 'ephemeral';
}

/** The presence markers: one ISO timestamp line each (§3.4). */
export type FlagMarker = 'stopped' | 'idle-reaped' | 'new-eager' | 'fresh-next' | 'ephemeral-armed';

export const MAX_DEATHS = 16;
export const MAX_TOPICS = 16;
const SESSION_SUFFIX = '.session';

/**
 * The lifecycle markers under `<root>/state/lifecycle/<identity>.<suffix>`: every write
 * is atomic (temp + fsync + rename, 0600), so a SIGKILL mid-write leaves the old file
 * or the new one, never half of either. Identities are validated before a path is built.
 */
export class MarkerStore {
  constructor(readonly dir: string) {}

  file(identity: string, suffix: string): string {
    if (!parseIdentity(identity)) {
      throw new IapeerError('INVALID_INPUT', `invalid identity ${JSON.stringify(identity)}: expected <runtime>-<personality>, e.g. claude-bob`, { data: { identity } });
    }
    return path.join(this.dir, `${identity}.${suffix}`);
  }

  systemPromptFile(identity: string): string {
    return this.file(identity, 'system-prompt.md');
  }

  /** Writes the composed system prompt (§5.4) atomically; returns its path. */
  writeSystemPrompt(identity: string, text: string): string {
    this.write(identity, 'system-prompt.md', text);
    return this.systemPromptFile(identity);
  }

  wakeLockFile(identity: string): string {
    return this.file(identity, 'wake.lock');
  }

  private write(identity: string, suffix: string, data: string): void {
    ensureDir(this.dir);
    writeFileAtomic(this.file(identity, suffix), data);
  }

  // ── .session ──────────────────────────────────────────────────────────────
  readSession(identity: string): SessionRecord | null {
    return readJsonFile<SessionRecord>(this.file(identity, 'session'));
  }

  writeSession(rec: SessionRecord): void {
    this.write(rec.identity, 'session', JSON.stringify(rec) + '\n');
  }

  clearSession(identity: string): boolean {
    return clearMarker(this.file(identity, 'session'));
  }

  /** Identities with a `.session` marker, sorted: what the tick supervises. */
  listSessions(): string[] {
    return this.entries()
      .filter((n) => n.endsWith(SESSION_SUFFIX) && !n.startsWith('.'))
      .map((n) => n.slice(0, -SESSION_SUFFIX.length))
      .filter((id) => parseIdentity(id) !== null)
      .sort();
  }

  /** Every identity with at least one marker here, sorted. */
  listIdentities(): string[] {
    const ids = new Set<string>();
    for (const n of this.entries()) {
      if (n.startsWith('.')) continue;
      // identities hold no dot, so the first dot ends the identity (claude-bob.topic)
      const id = n.slice(0, n.indexOf('.') === -1 ? n.length : n.indexOf('.'));
      if (parseIdentity(id)) ids.add(id);
    }
    return [...ids].sort();
  }

  // ── flags ─────────────────────────────────────────────────────────────────
  has(identity: string, flag: FlagMarker): boolean {
    return hasMarker(this.file(identity, flag));
  }

  set(identity: string, flag: FlagMarker, at: Date): void {
    ensureDir(this.dir);
    writeMarker(this.file(identity, flag), at);
  }

  /** True when the marker existed. */
  clear(identity: string, flag: FlagMarker): boolean {
    return clearMarker(this.file(identity, flag));
  }

  // ── .deaths ───────────────────────────────────────────────────────────────
  readDeaths(identity: string): number[] {
    const raw = readJsonFileLenient(this.file(identity, 'deaths'));
    return Array.isArray(raw) ? raw.filter((n): n is number => typeof n === 'number' && Number.isFinite(n)) : [];
  }

  /** Appends a death time, keeping the newest MAX_DEATHS. */
  recordDeath(identity: string, atMs: number): number[] {
    const deaths = [...this.readDeaths(identity), atMs].sort((a, b) => a - b).slice(-MAX_DEATHS);
    this.write(identity, 'deaths', JSON.stringify(deaths) + '\n');
    return deaths;
  }

  /** Keeps only deaths at or after `sinceMs`; deletes the file when none are left. */
  trimDeaths(identity: string, sinceMs: number): number[] {
    const kept = this.readDeaths(identity).filter((t) => t >= sinceMs);
    if (kept.length === 0) clearMarker(this.file(identity, 'deaths'));
    else this.write(identity, 'deaths', JSON.stringify(kept) + '\n');
    return kept;
  }

  clearDeaths(identity: string): void {
    clearMarker(this.file(identity, 'deaths'));
  }

  // ── .topic ────────────────────────────────────────────────────────────────
  readTopics(identity: string): string[] {
    try {
      return fs.readFileSync(this.file(identity, 'topic'), 'utf8').split('\n').filter((t) => t.length > 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  /** Adds a topic as the most recent (moving it to the end when known); at most MAX_TOPICS. True when the set changed. */
  addTopic(identity: string, topic: string): boolean {
    const t = normalizeTopic(topic);
    if (!t) return false;
    const before = this.readTopics(identity);
    if (before[before.length - 1] === t) return false;
    const after = [...before.filter((x) => x !== t), t].slice(-MAX_TOPICS);
    this.write(identity, 'topic', after.join('\n') + '\n');
    return true;
  }

  resetTopics(identity: string): void {
    clearMarker(this.file(identity, 'topic'));
  }

  private entries(): string[] {
    try {
      return fs.readdirSync(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
}

/** A topic as stored: one line, trimmed; newlines would break the newline-separated set. */
export function normalizeTopic(topic: string | undefined): string {
  return (topic ?? '').replace(/[\r\n]+/g, ' ').trim();
}

/** A corrupt `.deaths` reads as empty rather than wedging every future wake. */
function readJsonFileLenient(file: string): unknown {
  try {
    return readJsonFile<unknown>(file);
  } catch (err) {
    if (err instanceof SyntaxError) return null;
    throw err;
  }
}

/**
 * Deletes every `<identity>.*` entry of the lifecycle dir (the dot delimiter means
 * `claude-bob` never matches `claude-bob2`): markers, the session-token hash, the wake
 * lock, the system prompt. Runs on `purge`, after the registry unregistered the peer.
 * Only the lifecycle dir: logs/iapeer/ is logd's (docs/architecture.md, File ownership).
 * Returns the removed file names, sorted.
 */
export function purgeIdentityState(store: MarkerStore, identity: string): string[] {
  store.file(identity, 'x'); // validates the identity before anything is deleted
  const prefix = `${identity}.`;
  const removed: string[] = [];
  let names: string[] = [];
  try {
    names = fs.readdirSync(store.dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    fs.rmSync(path.join(store.dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed.sort();
}
