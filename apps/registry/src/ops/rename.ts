import { IapeerError, assertPersonality } from '@iapeer/core';
import type { Peer } from '@iapeer/contracts';
import type { Operation } from '../file/commit-queue';
import { toPeer } from '../file/peer-record';
import { readPeerProfile, writePeerProfile } from '@iapeer/profiles';

/**
 * `renamePeer(old, new)` (docs/behaviour.md §4.3): `old` must exist and `new` be unused; the
 * local profile's personality is rewritten first (it is the source of truth), then the
 * record moves. The folder itself is not renamed (that is the later 0.4.x `rename`).
 */
export function renameOperation(from: string, to: string): Operation<{ peer: Peer; profileRewritten: boolean }> {
  const oldName = assertPersonality(from);
  const newName = assertPersonality(to);
  return {
    apply(draft) {
      const rec = draft.peers.get(oldName);
      if (!rec) {
        throw new IapeerError('PEER_NOT_FOUND', `cannot rename "${oldName}": no such peer is registered; check \`iapeer list\``, { data: { personality: oldName } });
      }
      if (oldName !== newName && draft.peers.has(newName)) {
        throw new IapeerError('PERSONALITY_TAKEN', `cannot rename "${oldName}" to "${newName}": "${newName}" is already registered (${draft.peers.get(newName)!.cwd}); pick another name or remove it first`, {
          data: { personality: newName },
        });
      }
      if (oldName === newName) return { value: { peer: toPeer(rec), profileRewritten: false }, changed: false };
      const profile = readPeerProfile(rec.cwd);
      let profileRewritten = false;
      if (profile.state === 'ok' && profile.profile.personality === oldName) {
        writePeerProfile(rec.cwd, { ...profile.profile, personality: newName });
        profileRewritten = true;
      }
      const renamed = { ...rec, personality: newName };
      draft.peers.delete(oldName);
      draft.peers.set(newName, renamed);
      return { value: { peer: toPeer(renamed), profileRewritten }, changed: true };
    },
  };
}
