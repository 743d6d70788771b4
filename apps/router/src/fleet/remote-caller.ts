/**
 * A caller on another host, as the bridge vouches for it (it checked the sending host's
 * signature): `<runtime>-<personality>@<host>`. It has no record here; the envelope
 * names it `<personality>@<host>`, so a reply with send_to_peer goes back across the fleet.
 */
import { IapeerError, parseIdentity } from '@iapeer/core';
import type { ResolvedCaller } from '../caller/resolve-caller';

export function remoteCaller(from: { identity: string; host: string }): ResolvedCaller {
  const parsed = parseIdentity(from.identity);
  if (!parsed || !from.host) throw new IapeerError('CALLER_UNKNOWN', `malformed remote caller ${JSON.stringify(from)} — expected "<runtime>-<personality>" and a host`, { data: { claimed: from.identity } });
  const personality = `${parsed.personality}@${from.host}`;
  return {
    identity: `${from.identity}@${from.host}`,
    runtime: parsed.runtime,
    personality,
    // no telegram face, no ephemeral arming: a remote caller only ever reaches a TUI or router runtime
    record: { personality, default_runtime: parsed.runtime, runtimes: [parsed.runtime], intelligence: 'artificial', cwd: '', interfaces: {} },
  };
}
