/**
 * Which public key speaks for a host: the one the operator pinned (IAPEER_FLEET_KEYS),
 * else the first one seen in that host's roster entry, kept for this process's life —
 * a roster entry rewritten with another key later does not move the trust (docs/fleet.md).
 */
import type { KV } from '@nats-io/kv';
import { readEntry } from './roster';

export interface HostKeys {
  keyOf(host: string): Promise<string | null>;
}

export function createHostKeys(pinned: Map<string, string>, roster: () => KV | undefined, onChanged: (host: string) => void): HostKeys {
  const seen = new Map(pinned);
  return {
    async keyOf(host) {
      const kv = roster();
      const fromRoster = kv ? (await readEntry(kv, host))?.publicKey : undefined;
      const known = seen.get(host);
      if (known) {
        if (fromRoster && fromRoster !== known) onChanged(host);
        return known;
      }
      if (!fromRoster) return null;
      seen.set(host, fromRoster);
      return fromRoster;
    },
  };
}
