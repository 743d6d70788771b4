/**
 * Registry adapter: `registry.get.query({ personality })` → the registry's Peer (or null
 * when absent; libs/contracts/src/registry.ts). Only this file knows the wire shape.
 */
import type { PeerDirectory, PeerRecord } from '../ports';

/** The part of the registry's tRPC client this adapter uses. */
export interface RegistryGetClient {
  get: { query(input: { personality: string }): Promise<RawPeerRecord | null> };
}

/** §4.1 on-disk fields, read-normalized loosely (legacy `runtime` mirror included). */
export interface RawPeerRecord {
  personality: string;
  default_runtime?: string;
  runtime?: string;
  runtimes?: string[];
  intelligence?: string;
  /** The on-disk value (legacy human/scripted kept verbatim). */
  intelligence_raw?: string;
  cwd: string;
  description?: string;
  interfaces?: Record<string, unknown>;
}

export function toPeerRecord(raw: RawPeerRecord): PeerRecord {
  const def = raw.default_runtime ?? raw.runtime ?? raw.runtimes?.[0] ?? '';
  const runtimes = [def, ...(raw.runtimes ?? []).filter((r) => r !== def)].filter(Boolean);
  return {
    personality: raw.personality,
    default_runtime: def,
    runtimes,
    intelligence: raw.intelligence_raw || raw.intelligence || 'artificial',
    cwd: raw.cwd,
    description: raw.description,
    interfaces: raw.interfaces,
  };
}

export function createRegistryDirectory(client: RegistryGetClient): PeerDirectory {
  return {
    async get(personality) {
      const raw = await client.get.query({ personality });
      return raw ? toPeerRecord(raw) : null;
    },
  };
}
