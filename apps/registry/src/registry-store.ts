import { assertPersonality, type IapeerPaths } from '@iapeer/core';
import type { RegistryHandlers } from '@iapeer/contracts';
import type { Logger } from 'pino';
import { CommitQueue, corruptError } from './file/commit-queue';
import { IndexFile } from './file/index-file';
import { toPeer } from './file/peer-record';
import { initOperation } from './ops/init-peer';
import { planReindex, reindexOperation } from './ops/reindex';
import { removeOperation } from './ops/remove';
import { renameOperation } from './ops/rename';
import { upsertOperation } from './ops/upsert';
import type { PeerHints } from './adapters/supervisor-hints';

type Handlers = Omit<RegistryHandlers, 'health'>;

export interface RegistryStore extends Handlers {
  queue: CommitQueue;
}

/**
 * The registry's procedures over one IndexFile and one CommitQueue. Reads go straight to
 * the (cached) file — a write is acknowledged only after its rename, so a caller always
 * reads its own writes; writes go through the queue.
 */
export function createRegistryStore(paths: IapeerPaths, logger?: Logger, hints: () => Promise<PeerHints> = async () => ({ cwds: [] })): RegistryStore {
  const file = new IndexFile(paths.peersFile);
  const queue = new CommitQueue(file, paths, (attempt) => logger?.warn({ attempt, lock: paths.peersLock }, 'registry lock contended'));
  const reportedWarnings = new Set<string>();
  const read = () => {
    const snap = file.read();
    for (const w of snap.warnings) {
      // a newer schema version or a clamped description is worth one log line, not one per read
      if (!reportedWarnings.has(w)) logger?.warn({ warning: w }, 'registry read note');
      reportedWarnings.add(w);
    }
    return snap;
  };
  return {
    queue,
    list() {
      const snap = read();
      const peers = [...snap.index.peers.values()].sort((a, b) => a.personality.localeCompare(b.personality)).map(toPeer);
      return { peers, warnings: snap.warnings, corrupt: snap.corrupt };
    },
    get({ personality }) {
      const name = assertPersonality(personality);
      const snap = read();
      const rec = snap.index.peers.get(name);
      if (rec) return toPeer(rec);
      // "not registered" would be a guess when part of the file could not be read
      if (snap.corrupt) throw corruptError(snap.corrupt);
      return null;
    },
    upsert: (input) => queue.submit(upsertOperation(input)),
    remove: ({ personality }) => queue.submit(removeOperation(personality)),
    rename: ({ from, to }) => queue.submit(renameOperation(from, to)),
    init: (input) => queue.submit(initOperation(input)),
    async reindex(input) {
      // a damaged file is rebuilt from every source; the supervisor's markers are one (asked
      // before queueing: the supervisor may call us back while it answers)
      const extra = [...(input?.cwds ?? [])];
      if (read().corrupt) {
        const known = await hints();
        if (known.unavailable) logger?.warn({ reason: known.unavailable }, 'rebuild without the supervisor\'s markers');
        extra.push(...known.cwds);
      }
      return queue.submit(reindexOperation(paths.peersDir, extra));
    },
    verify() {
      const snap = read();
      const plan = planReindex(snap.index.peers, snap, paths.peersDir, [], { ...queue.rebuildSources(), memory: file.lastGood() });
      return { ok: plan.drift.length === 0 && !snap.corrupt, corrupt: snap.corrupt, drift: plan.drift, peers: snap.index.peers.size };
    },
  };
}

