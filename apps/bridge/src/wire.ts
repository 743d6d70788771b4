/**
 * Signed JSON on the wire: the body's exact bytes are what the signature covers, so a
 * body is parsed only after its signature checked out.
 */
import { FleetReplySchema, type FleetReply } from '@iapeer/contracts';
import type { HostKey } from './host-key';
import { verifySignature } from './host-key';
import { safeJson } from './roster';

export const SIG_HEADER = 'Iapeer-Sig';
export const HOST_HEADER = 'Iapeer-Host';
export const REPLY_HEADER = 'Iapeer-Reply';

/** A reply as it is stored in the results bucket and sent to the reply subject. */
export interface SignedReply {
  host: string;
  body: string;
  sig: string;
}

export function signReply(key: HostKey, host: string, reply: FleetReply): string {
  const body = JSON.stringify(reply);
  return JSON.stringify({ host, body, sig: key.sign(body) } satisfies SignedReply);
}

/** The reply, when it parses, comes from `host` and is signed by `publicKey`; null otherwise. */
export function openReply(raw: string, host: string, publicKey: string, id: string): FleetReply | null {
  const signed = safeJson(raw) as Partial<SignedReply> | undefined;
  if (!signed || signed.host !== host || typeof signed.body !== 'string' || !verifySignature(publicKey, signed.body, signed.sig)) return null;
  const parsed = FleetReplySchema.safeParse(safeJson(signed.body));
  if (!parsed.success || parsed.data.id !== id) return null;
  return parsed.data as FleetReply;
}
