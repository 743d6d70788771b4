/**
 * Which public key speaks for a host: the one the operator pinned (IAPEER_FLEET_KEYS),
 * else the first one seen in that host's roster entry, kept for this process's life —
 * a roster entry rewritten with another key later does not move the trust (docs/fleet.md).
 * A known key costs no roster read (two fewer KV round trips per remote send); a changed
 * roster key is noticed at most once per CHANGE_CHECK_MS, in the background.
 */
import type { KV } from '@nats-io/kv';
import { readEntry } from './roster';

const CHANGE_CHECK_MS = 30_000;

export interface HostKeys {
  keyOf(host: string): Promise<string | null>;
}

export function createHostKeys(pinned: Map<string, string>, roster: () => KV | undefined, onChanged: (host: string) => void): HostKeys {
  const seen = new Map(pinned);
  const checked = new Map<string, number>();
  const read = async (host: string) => {
    const kv = roster();
    return kv ? (await readEntry(kv, host))?.publicKey : undefined;
  };
  return {
    async keyOf(host) {
      const known = seen.get(host);
      if (known) {
        if (Date.now() - (checked.get(host) ?? 0) > CHANGE_CHECK_MS) {
          checked.set(host, Date.now());
          void read(host).then((k) => k && k !== known && onChanged(host), () => undefined);
        }
        return known;
      }
      const fromRoster = await read(host);
      if (!fromRoster) return null;
      seen.set(host, fromRoster);
      return fromRoster;
    },
  };
}
