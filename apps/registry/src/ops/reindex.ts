import fs from 'node:fs';
import path from 'node:path';
import type { Drift } from '@iapeer/contracts';
import { writeFileAtomic } from '@iapeer/storage';
import type { Draft, Operation } from '../file/commit-queue';
import type { Snapshot } from '../file/index-file';
import type { StoredPeer } from '../file/peer-record';
import { readPeerProfile } from '@iapeer/profiles';
import { recordFromProfile } from '../profile/profile-merge';
import type { Tombstone } from '../file/generation-file';
import { salvageRecords } from '../file/salvage';

/** What a rebuild from the profiles would do (verify) or did (reindex). */
export interface ReindexPlan {
  next: Map<string, StoredPeer>;
  added: string[];
  updated: string[];
  removed: string[];
  kept: string[];
  drift: Drift[];
}

export interface ReindexResult extends Omit<ReindexPlan, 'next'> {
  backup: string | null;
}

const COMPARED = ['default_runtime', 'runtimes', 'description', 'intelligence', 'cwd', 'interfaces'] as const;

/** What a rebuild of a damaged file unions besides the file's own readable text. */
export interface RebuildSources {
  /** The running registry's last whole view. */
  memory?: ReadonlyMap<string, StoredPeer>;
  /** The previous good generation (`peers-profiles.json.prev`). */
  previous?: ReadonlyMap<string, StoredPeer>;
  /** Removed peers: never brought back. */
  removed?: ReadonlyMap<string, Tombstone>;
}

/**
 * `reindexFromLocals` (§4.5): the profiles are the truth, the registry a projection.
 * Folders looked at: every record's cwd and any the caller names. A healthy registry
 * never scans `<root>/peers/`: `remove` keeps the folder, and a rebuild must not
 * resurrect a removed peer. A **damaged** file is rebuilt from the union of every
 * source: the records still whole in its text, the running registry's memory, the
 * previous generation, every folder under `<root>/peers/` and the folders the caller
 * names (the supervisor's session markers); a tombstoned (removed) name is left out.
 * Each folder's profile decides its peer's fields; a record whose folder has no
 * readable profile is kept (and reported), never dropped.
 */
export function planReindex(fileRecords: Map<string, StoredPeer>, snapshot: Snapshot, peersDir: string, extraCwds: string[] = [], sources: RebuildSources = {}): ReindexPlan {
  const removed = sources.removed ?? new Map<string, Tombstone>();
  const salvaged = snapshot.corrupt ? salvageRecords(snapshot.text) : [];
  const current = snapshot.corrupt ? unionOf([sources.memory, fileRecords, salvaged, sources.previous], removed) : fileRecords;
  const drift: Drift[] = [];
  const cwds = new Set<string>([...[...current.values()].map((r) => r.cwd), ...salvageCwds(snapshot), ...(snapshot.corrupt ? listDirs(peersDir) : []), ...extraCwds.map((c) => path.resolve(c))]);
  const fromProfiles = new Map<string, StoredPeer>();
  const claimedBy = new Map<string, string>(); // cwd -> personality its profile claims
  for (const cwd of [...cwds].sort()) {
    const p = readPeerProfile(cwd);
    if (p.state === 'missing') continue;
    const owner = [...current.values()].find((r) => r.cwd === cwd)?.personality ?? '?';
    if (p.state === 'invalid') {
      drift.push({ personality: owner, cwd, kind: 'invalid-profile', detail: p.reason });
      continue;
    }
    const rec = recordFromProfile(cwd, p.profile, current.get(String(p.profile.personality))?.extra ?? {});
    if (typeof rec === 'string') {
      drift.push({ personality: owner, cwd, kind: 'invalid-profile', detail: rec });
      continue;
    }
    claimedBy.set(cwd, rec.personality);
    // a removed peer's folder keeps its profile: in a rebuild that profile is not a peer
    if (snapshot.corrupt && removed.has(rec.personality) && !current.has(rec.personality)) continue;
    const already = fromProfiles.get(rec.personality);
    if (already) {
      // two folders claim one name: the one the registry already points at keeps it
      const keepNew = current.get(rec.personality)?.cwd === cwd;
      const loser = keepNew ? already : rec;
      drift.push({ personality: rec.personality, cwd: loser.cwd, kind: 'duplicate-profile', detail: `also claimed by ${keepNew ? rec.cwd : already.cwd}` });
      if (!keepNew) continue;
    }
    fromProfiles.set(rec.personality, rec);
  }
  const plan: ReindexPlan = { next: new Map(), added: [], updated: [], removed: [], kept: [], drift };
  for (const r of current.values()) {
    const p = fromProfiles.get(r.personality);
    if (p) {
      const fields = COMPARED.filter((k) => JSON.stringify(r[k]) !== JSON.stringify(p[k]));
      if (fields.length) {
        plan.updated.push(r.personality);
        drift.push({ personality: r.personality, cwd: p.cwd, kind: 'differs', fields: [...fields] });
      }
      plan.next.set(r.personality, p);
      continue;
    }
    const claim = claimedBy.get(r.cwd);
    if (claim && claim !== r.personality) {
      plan.removed.push(r.personality);
      drift.push({ personality: r.personality, cwd: r.cwd, kind: 'stale-record', detail: `the folder's profile now names "${claim}"` });
      continue;
    }
    plan.kept.push(r.personality);
    if (readPeerProfile(r.cwd).state === 'missing') drift.push({ personality: r.personality, cwd: r.cwd, kind: 'missing-profile' });
    plan.next.set(r.personality, r);
  }
  for (const p of fromProfiles.values()) {
    if (current.has(p.personality)) continue;
    plan.added.push(p.personality);
    drift.push({ personality: p.personality, cwd: p.cwd, kind: 'missing-in-registry' });
    plan.next.set(p.personality, p);
  }
  if (snapshot.corrupt) {
    // in a rebuild, "added" means put back: every peer the damaged file no longer showed whole
    const readable = new Set([...fileRecords.keys(), ...salvaged.map((r) => r.personality)]);
    plan.added = [...plan.next.keys()].filter((n) => !readable.has(n)).sort();
    plan.updated = plan.updated.filter((n) => readable.has(n));
    plan.kept = plan.kept.filter((n) => readable.has(n));
  }
  return plan;
}

/** The rebuild as a queued write; the only operation allowed to replace a corrupt file (after a backup). */
export function reindexOperation(peersDir: string, extraCwds: string[] = [], now: () => Date = () => new Date()): Operation<ReindexResult> {
  return {
    overwriteCorrupt: true,
    apply(draft: Draft) {
      const { next, ...report } = planReindex(draft.peers, draft.snapshot, peersDir, extraCwds, draft);
      let backup: string | null = null;
      const wasCorrupt = draft.corrupt !== null;
      if (wasCorrupt && draft.snapshot.text !== null) {
        backup = `${draft.corrupt!.path}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}.bak`;
        writeFileAtomic(backup, draft.snapshot.text);
      }
      const changed = wasCorrupt || report.added.length + report.updated.length + report.removed.length > 0;
      draft.peers.clear();
      for (const [k, v] of next) draft.peers.set(k, v);
      draft.corrupt = null;
      return { value: { ...report, backup }, changed };
    },
  };
}

/** One record per name, the first source that has it winning; tombstoned names left out. */
function unionOf(sources: (Iterable<StoredPeer> | ReadonlyMap<string, StoredPeer> | undefined)[], removed: ReadonlyMap<string, Tombstone>): Map<string, StoredPeer> {
  const out = new Map<string, StoredPeer>();
  for (const source of sources) {
    if (!source) continue;
    const records = source instanceof Map ? source.values() : (source as Iterable<StoredPeer>);
    for (const r of records) if (!out.has(r.personality) && !removed.has(r.personality)) out.set(r.personality, r);
  }
  return out;
}

/** cwds a corrupt file still mentions, so a rebuild finds their profiles. */
function salvageCwds(snapshot: Snapshot): string[] {
  if (!snapshot.corrupt || snapshot.text === null) return [];
  const out: string[] = [];
  for (const m of snapshot.text.matchAll(/"cwd"\s*:\s*("(?:[^"\\]|\\.)*")/g)) {
    try {
      const cwd = JSON.parse(m[1]);
      if (typeof cwd === 'string' && path.isAbsolute(cwd)) out.push(cwd);
    } catch {
      // a torn string in a corrupt file: nothing to salvage from this match
    }
  }
  return out;
}

function listDirs(dir: string): string[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(dir, d.name));
  } catch {
    return []; // no peers/ folder yet
  }
}
