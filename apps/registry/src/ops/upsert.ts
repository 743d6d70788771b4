import type { Peer, UpsertInput } from '@iapeer/contracts';
import type { Operation } from '../file/commit-queue';
import { toPeer } from '../file/peer-record';
import { mergeRecord, sameRecord } from './merge-record';
import { assertOwnership } from './ownership';
import { validateUpsert } from './validate-input';

export interface UpsertResult {
  peer: Peer;
  created: boolean;
  warnings: string[];
}

/** Validates now (throws before queueing), returns the queued H1 merge. */
export function upsertOperation(input: UpsertInput): Operation<UpsertResult> {
  const { args, warnings } = validateUpsert(input);
  return {
    apply(draft) {
      const existing = draft.peers.get(args.personality);
      assertOwnership(draft.peers, args.personality, args.cwd);
      const rec = mergeRecord(existing, args);
      const changed = !sameRecord(existing, rec);
      if (changed) draft.peers.set(rec.personality, rec);
      return { value: { peer: toPeer(rec), created: !existing, warnings }, changed };
    },
  };
}
