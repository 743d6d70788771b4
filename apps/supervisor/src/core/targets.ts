import { IapeerError, formatIdentity } from '@iapeer/core';
import type { SupervisorDeps } from './deps';
import type { SupervisedPeer } from './ports';

/** One (peer, runtime) an operator command acts on. */
export interface Target {
  peer: SupervisedPeer;
  runtime: string;
  identity: string;
}

export interface TargetSelector {
  personality?: string;
  runtime?: string;
  all?: boolean;
}

/**
 * `<peer> [runtime] | --all` → the identities to act on. An unknown peer or an explicit
 * undeclared runtime throws (nothing is changed); without a runtime, every declared one.
 */
export async function resolveTargets(deps: SupervisorDeps, sel: TargetSelector): Promise<Target[]> {
  if (sel.all) {
    const peers = await deps.directory.list();
    return peers.flatMap((peer) => runtimesOf(peer).map((runtime) => toTarget(peer, runtime)));
  }
  if (!sel.personality) throw new IapeerError('INVALID_INPUT', 'name a peer or pass all: true (`--all`)');
  const peer = await deps.directory.get(sel.personality);
  if (!peer) {
    throw new IapeerError('PEER_NOT_FOUND', `unknown peer "${sel.personality}": not in the iapeer peers index; see \`iapeer list\``, { data: { personality: sel.personality } });
  }
  if (sel.runtime) {
    if (!runtimesOf(peer).includes(sel.runtime)) {
      throw new IapeerError('RUNTIME_NOT_DECLARED', `runtime "${sel.runtime}" is not declared for "${peer.personality}" (declared: ${runtimesOf(peer).join(', ')})`, {
        data: { personality: peer.personality, runtime: sel.runtime },
      });
    }
    return [toTarget(peer, sel.runtime)];
  }
  return runtimesOf(peer).map((runtime) => toTarget(peer, runtime));
}

export function runtimesOf(peer: SupervisedPeer): string[] {
  return [...new Set([peer.default_runtime, ...peer.runtimes].filter(Boolean))];
}

const toTarget = (peer: SupervisedPeer, runtime: string): Target => ({ peer, runtime, identity: formatIdentity({ runtime, personality: peer.personality }) });
