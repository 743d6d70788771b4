/**
 * Every refusal and failure text of a send, in one place. The texts of docs/behaviour.md
 * §6.1/§6.2/§6.5 are kept word for word (tests assert them); where the spec elides
 * the tail ("…") we complete it with what happened and what to do.
 */
import { IapeerError, type ErrorCode } from '@iapeer/core';

const fail = (code: ErrorCode, message: string, data: Record<string, unknown> = {}) => new IapeerError(code, message, { data });

export const sendErrors = {
  invalid: (what: string) => fail('SEND_REJECTED', `${what}; message NOT delivered`, { what }),
  unknownTarget: (p: string) => fail('PEER_NOT_FOUND', `peer "${p}" is not in the iapeer peers index; message NOT delivered`, { personality: p }),
  runtimeNotDeclared: (p: string, rt: string, declared: string[]) =>
    fail('RUNTIME_NOT_DECLARED', `runtime "${rt}" is not declared for "${p}" (declared: ${declared.join(', ') || 'none'}); message NOT delivered`, {
      personality: p,
      runtime: rt,
    }),
  telegramPolicy: (sender: string) =>
    fail(
      'SEND_POLICY_REFUSED',
      `telegram policy: sender "${sender}" has no telegram face (its registry record has no interfaces.telegram.bot); give it one with \`iapeer connect telegram ${sender}\` or send on another runtime — message NOT delivered`,
      { sender },
    ),
  self: () => fail('SEND_REJECTED', 'cannot send to self'),
  offline: (p: string, rt?: string) => fail('SESSION_NOT_LIVE', rt ? `peer offline: ${p} (${rt})` : `peer offline: ${p}`, { personality: p, runtime: rt }),
  ambiguous: (p: string, runtimes: string[]) =>
    fail('TARGET_AMBIGUOUS', `${p} is online in multiple runtimes (${runtimes.join(', ')}) — specify runtime`, { personality: p, runtimes }),
  /** A stopped peer: the supervisor's reason, unchanged. */
  stopped: (reason: string, p: string) => fail('PEER_STOPPED', reason, { personality: p }),
  /**
   * A wake the supervisor refused or could not finish: its code (CRASH_LOOP,
   * NOTHING_TO_RESUME, RUNTIME_UNAVAILABLE, LAUNCHD_MANAGED, WAKE_FAILED…) reaches the
   * sender unchanged, and its reason is the tail of the §6.2 text.
   */
  wakeFailed: (p: string, code: ErrorCode, reason: string) => fail(code, `peer "${p}" offline and wake failed: ${reason}`, { personality: p, reason }),
  notVerified: (p: string, identity: string) =>
    fail(
      'WAKE_FAILED',
      `woke "${p}" but the session is not live (verify-before-act): ${identity} has no live session after a READY wake; message NOT delivered — retry the send`,
      { personality: p, identity },
    ),
  /** §6.4: the target shows a dialog; a paste would answer it. */
  waiting: (p: string, rt: string, why: string) =>
    fail('PEER_WAITING', `${p} (${rt}) is showing a dialog that a paste would answer (${why}); not delivered — answer it with \`iapeer attach ${p}\`, then send again`, {
      personality: p,
      runtime: rt,
      why,
    }),
  notDelivered: (p: string, reason: string) => fail('DELIVERY_NOT_CONFIRMED', reason, { personality: p }),
  controlUnsupported: (rt: string, c: string) =>
    fail('CONTROL_UNSUPPORTED', `runtime "${rt}" does not support control command "${c}"`, { runtime: rt, command: c }),
};
