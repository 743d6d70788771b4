import fs from 'node:fs';
import path from 'node:path';
import { formatIdentity, type IapeerPaths } from '@iapeer/core';
import type { ActivityState, Peer } from '@iapeer/contracts';
import type { Liveness } from './liveness';

/** A runtime of a peer: `live` (session up), `stopped` (operator stop marker), else `asleep`. */
export type RuntimeStatus = 'live' | 'stopped' | 'asleep';

export const STATUS_MARKER: Record<RuntimeStatus, string> = { live: '●', asleep: '○', stopped: '✕' };

export interface PeerRow {
  personality: string;
  default_runtime: string;
  last_active_runtime?: string;
  intelligence: string;
  description: string;
  cwd: string;
  /** `state`: a live session's activity (§6.4), when the supervisor answered. */
  runtimes: { runtime: string; status: RuntimeStatus; state?: ActivityState }[];
}

/** A live session's activity state, or undefined when it cannot be had (no supervisor). */
export type ActivityOf = (identity: string) => Promise<ActivityState | undefined>;

/** The §10 `list --json` row of one peer. */
export async function describePeer(peer: Peer, paths: IapeerPaths, liveness: Liveness, activityOf?: ActivityOf): Promise<PeerRow> {
  const runtimes = await Promise.all(
    peer.runtimes.map(async (runtime) => {
      const identity = formatIdentity({ runtime, personality: peer.personality });
      let status: RuntimeStatus = 'asleep';
      if (await liveness.isLive(identity)) status = 'live';
      else if (fs.existsSync(paths.peerStateFile(identity, 'stopped'))) status = 'stopped';
      const state = status === 'live' && activityOf ? await activityOf(identity) : undefined;
      return state ? { runtime, status, state } : { runtime, status };
    }),
  );
  const row: PeerRow = {
    personality: peer.personality,
    default_runtime: peer.default_runtime,
    intelligence: peer.intelligence,
    description: peer.description,
    cwd: peer.cwd,
    runtimes,
  };
  const last = lastActiveRuntime(peer, paths);
  if (last) row.last_active_runtime = last;
  return { ...orderRow(row) };
}

/** The runtime whose pane log changed last (the activity signal without a manifest `activity`). */
function lastActiveRuntime(peer: Peer, paths: IapeerPaths): string | undefined {
  let best: { runtime: string; mtime: number } | undefined;
  for (const runtime of peer.runtimes) {
    try {
      const mtime = fs.statSync(path.join(paths.paneLogDir, `${formatIdentity({ runtime, personality: peer.personality })}.log`)).mtimeMs;
      if (!best || mtime > best.mtime) best = { runtime, mtime };
    } catch {
      // never ran: no pane log, no activity
    }
  }
  return best?.runtime;
}

/** Key order of the §10 JSON row. */
function orderRow(r: PeerRow): PeerRow {
  return {
    personality: r.personality,
    default_runtime: r.default_runtime,
    ...(r.last_active_runtime && { last_active_runtime: r.last_active_runtime }),
    intelligence: r.intelligence,
    description: r.description,
    cwd: r.cwd,
    runtimes: r.runtimes,
  };
}

/** One table line: name, `[default]`, intelligence, `●/○/✕ rt[ state]` per runtime, ` last-active:rt`. */
export function formatRow(r: PeerRow, nameWidth: number): string {
  const runtimes = r.runtimes.map((x) => `${STATUS_MARKER[x.status]} ${x.runtime}${x.state ? ` ${x.state}` : ''}`).join('  ');
  const last = r.last_active_runtime ? `  last-active:${r.last_active_runtime}` : '';
  return `${r.personality.padEnd(nameWidth)}  [${r.default_runtime}]  ${r.intelligence.padEnd(10)}  ${runtimes}${last}`;
}
