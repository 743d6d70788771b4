import { IapeerError, PERSONALITY_RE, parseIdentity } from '@iapeer/core';
import type { SupervisorDeps } from './deps';
import { shipExits } from './exits';
import { purgeIdentityState } from './markers';
import { purgePaneLogs } from './pane-logs';

export interface PurgeReport {
  personality: string;
  /** Identities whose live session was killed. */
  killed: string[];
  /** Lifecycle file names removed, sorted. */
  removed: string[];
}

/**
 * `purge` (§7.2, `remove`): the supervisor's half of removing a peer, asked after the
 * registry unregistered it. Every session of the name (any runtime, declared or not:
 * found by its markers or its live tmux server) is killed under its wake lock (an
 * in-flight launch finishes first; its token is revoked with the kill), then every
 * `<identity>.*` entry of the lifecycle dir goes, so a new peer of the same name inherits
 * nothing (no old `.stopped`). A name still in the registry is refused with nothing
 * changed: its state is live state, not leftovers.
 */
export async function purgePeer(deps: SupervisorDeps, personality: string): Promise<PurgeReport> {
  if (!PERSONALITY_RE.test(personality)) {
    throw new IapeerError('INVALID_PERSONALITY', `"${personality}" is not a peer name (^[a-z][a-z0-9-]{0,31}$)`, { data: { personality } });
  }
  if (await deps.directory.get(personality)) {
    throw new IapeerError('PEER_STILL_REGISTERED', `"${personality}" is still registered; unregister it first (\`iapeer remove ${personality}\` does both)`, { data: { personality } });
  }
  const ours = (identity: string) => parseIdentity(identity)?.personality === personality;
  const identities = [...new Set([...deps.markers.listIdentities(), ...(await deps.liveness.listLive())].filter(ours))].sort();
  const killed: string[] = [];
  const removed: string[] = [];
  for (const identity of identities) {
    await deps.wakeLock(identity, deps.markers.wakeLockFile(identity), async () => {
      const live = await deps.liveness.isAlive(identity);
      // kill also clears a dead pane's server and a stale socket
      await deps.liveness.kill(identity);
      if (live) killed.push(identity);
    });
    // after the lock is released: the lock directory is one of the entries
    removed.push(...purgeIdentityState(deps.markers, identity));
    // a removed peer's pane logs would otherwise stay forever; its last exits are shipped first
    shipExits(deps, identity);
    purgePaneLogs(deps.paths.paneLogDir, identity);
  }
  deps.events.emit('lifecycle', { ev: 'purge', personality, killed: killed.join(',') || undefined, removed: removed.length });
  return { personality, killed, removed: removed.sort() };
}
