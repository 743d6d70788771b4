/** The refusal and failure texts of interrupt/compact (docs/behaviour.md §6.5), in one place. */
import { IapeerError, type ErrorCode } from '@iapeer/core';
import type { DeliveryTarget } from '../ports';

export const controlErrors = {
  /** §7.3 fleet guard: a foreign job (no iapeer sentinel) holds the peer. */
  foreignJob: (command: string, p: string, job: { file: string; label: string }) =>
    new IapeerError(
      'FOREIGN_SERVICE_FILE',
      `${command} refused: "${p}" is held by a foreign service file at ${job.file} (label ${job.label}, no iapeer sentinel); iapeer never interrupts or compacts a peer it does not manage — manage it by hand or move the file away`,
      { data: { personality: p, path: job.file, label: job.label, command } },
    ),
  nothingToCompact: (p: string, rt: string) =>
    new IapeerError('SESSION_NOT_LIVE', `${p} (${rt}) has no live session and no clean park to resume: nothing to compact`, { data: { personality: p, runtime: rt } }),
  /** The resume of a parked peer failed: the supervisor's code (NOTHING_TO_RESUME, PEER_STOPPED, CRASH_LOOP…) and reason. */
  resumeFailed: (p: string, rt: string, code: ErrorCode, reason: string) =>
    new IapeerError(code, `${p} (${rt}) is parked and its resume failed: ${reason}; nothing was compacted`, { data: { personality: p, runtime: rt, reason } }),
  notConfirmed: (t: DeliveryTarget, timeoutMs: number) =>
    new IapeerError(
      'COMPACT_NOT_CONFIRMED',
      `/compact was typed into ${t.identity} but its transcript recorded no finished compaction within ${Math.round(timeoutMs / 1000)}s; it may still be compacting — look with \`iapeer attach ${t.personality}\``,
      { data: { identity: t.identity, timeoutMs } },
    ),
};
