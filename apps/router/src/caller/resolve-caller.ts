/**
 * §8.2 caller identity: `<runtime>-<personality>` of a registered peer whose runtime
 * is declared (the anti-spoofing minimum). There is never a default caller.
 */
import { IapeerError, parseIdentity } from '@iapeer/core';
import type { PeerDirectory, RoutedPeer } from '../ports';

export interface ResolvedCaller {
  identity: string;
  runtime: string;
  personality: string;
  record: RoutedPeer;
}

/** Where the claimed identity came from; only changes the wording of the malformed case. */
export type CallerSource = 'header' | 'from';

export async function resolveCaller(claimed: string | undefined, directory: PeerDirectory, source: CallerSource = 'header'): Promise<ResolvedCaller> {
  const raw = claimed?.trim() ?? '';
  const parsed = raw ? parseIdentity(raw) : null;
  if (!parsed) {
    const message =
      source === 'header'
        ? `missing or malformed x-iapeer-identity header — expected "<runtime>-<personality>"`
        : `missing or malformed --from ${JSON.stringify(raw)} — expected "<runtime>-<personality>" of a registered peer`;
    throw new IapeerError('CALLER_UNKNOWN', message, { data: { claimed: raw } });
  }
  const record = await directory.get(parsed.personality);
  if (!record) {
    throw new IapeerError('CALLER_UNKNOWN', `unknown caller "${parsed.personality}" — not registered in peers-profiles.json`, { data: { claimed: raw } });
  }
  if (!record.runtimes.includes(parsed.runtime)) {
    throw new IapeerError(
      'CALLER_UNKNOWN',
      `runtime "${parsed.runtime}" is not declared for caller "${parsed.personality}" (declared: ${record.runtimes.join(', ')})`,
      { data: { claimed: raw } },
    );
  }
  return { identity: raw, runtime: parsed.runtime, personality: parsed.personality, record };
}
