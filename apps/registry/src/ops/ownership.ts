import { IapeerError } from '@iapeer/core';
import { profileClaims } from '../profile/profile-merge';
import type { StoredPeer } from '../file/peer-record';

/**
 * Personality and folder are 1:1 (docs/behaviour.md §2.1, §12): a name owned by another folder
 * (whose profile still claims it) is refused loudly, never suffixed; a folder that holds
 * another registered peer cannot take a second name. A record whose old folder no longer
 * claims the name is a moved peer: the new cwd wins (H1).
 */
export function assertOwnership(peers: Map<string, StoredPeer>, personality: string, cwd: string): void {
  const existing = peers.get(personality);
  if (existing && existing.cwd !== cwd && profileClaims(existing.cwd, personality)) {
    throw new IapeerError(
      'PERSONALITY_TAKEN',
      `peer name "${personality}" is already owned by ${existing.cwd}; personality and folder are 1:1 and names are never suffixed — use another folder name, or remove the other peer first (\`iapeer remove ${personality}\`)`,
      { data: { personality, owner: existing.cwd, cwd } },
    );
  }
  for (const other of peers.values()) {
    if (other.personality !== personality && other.cwd === cwd && profileClaims(cwd, other.personality)) {
      throw new IapeerError(
        'PERSONALITY_TAKEN',
        `folder ${cwd} already holds peer "${other.personality}"; personality and folder are 1:1 — use another folder for "${personality}", or remove "${other.personality}" first`,
        { data: { personality, holder: other.personality, cwd } },
      );
    }
  }
}
