/**
 * §6.1 target resolution: which identity of a peer a send goes to, and whether it
 * is live. A miss carries the runtime to wake (undefined = the registry default).
 */
import type { PeerRecord, SessionProbe } from '../ports';
import { sendErrors } from './send-errors';

export type TargetResolution = { kind: 'live'; runtime: string } | { kind: 'miss'; runtime: string | undefined };

export async function resolveTarget(peer: PeerRecord, runtime: string | undefined, sessions: SessionProbe): Promise<TargetResolution> {
  const p = peer.personality;
  if (runtime) return (await sessions.isLive(`${runtime}-${p}`)) ? { kind: 'live', runtime } : { kind: 'miss', runtime };
  if (await sessions.isLive(`${peer.default_runtime}-${p}`)) return { kind: 'live', runtime: peer.default_runtime };
  const live = await sessions.liveRuntimes(p);
  if (live.length === 1) return { kind: 'live', runtime: live[0] };
  if (live.length > 1) throw sendErrors.ambiguous(p, live);
  return { kind: 'miss', runtime: undefined };
}
