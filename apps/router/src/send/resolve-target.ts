/**
 * §6.1 target resolution: which identity of a peer a send goes to, and whether it
 * is live. A miss carries the runtime to wake (undefined = the registry default).
 *
 * `quick` asks `mayBeLive` (no tmux round trip) for the explicit or default identity: a
 * "live" answer is then confirmed by the verified delivery itself, and routeSend resolves
 * again `exact`ly if that delivery finds no session (see route-send.ts).
 */
import type { RoutedPeer, SessionProbe } from '../ports';
import { sendErrors } from './send-errors';

export type TargetResolution = { kind: 'live'; runtime: string } | { kind: 'miss'; runtime: string | undefined };
export type Probe = 'quick' | 'exact';

export async function resolveTarget(peer: RoutedPeer, runtime: string | undefined, sessions: SessionProbe, probe: Probe = 'exact'): Promise<TargetResolution> {
  const p = peer.personality;
  const live = (identity: string) => (probe === 'quick' ? sessions.mayBeLive(identity) : sessions.isLive(identity));
  if (runtime) return (await live(`${runtime}-${p}`)) ? { kind: 'live', runtime } : { kind: 'miss', runtime };
  if (await live(`${peer.default_runtime}-${p}`)) return { kind: 'live', runtime: peer.default_runtime };
  const scanned = await sessions.liveRuntimes(p);
  if (scanned.length === 1) return { kind: 'live', runtime: scanned[0] };
  if (scanned.length > 1) throw sendErrors.ambiguous(p, scanned);
  return { kind: 'miss', runtime: undefined };
}
