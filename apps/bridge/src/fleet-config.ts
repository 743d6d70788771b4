/**
 * The bridge's settings, from the environment (docs/fleet.md "Configuration"). Read
 * here and not in @iapeer/core's config: only this process uses them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fleetHostName, HOST_NAME_RE, IapeerError, positiveInt, type Env, type IapeerPaths } from '@iapeer/core';

export type NatsAuth = { kind: 'none' } | { kind: 'nkey' } | { kind: 'creds'; file: string };

export interface FleetConfig {
  natsUrl: string;
  host: string;
  /** The host's ed25519 seed (an nkey user seed): signs what it forwards; with `nkey` auth, also its NATS login. */
  seedFile: string;
  auth: NatsAuth;
  /** How often the roster entry is rewritten; three missed ones mean the host is down. */
  heartbeatMs: number;
  /** How long a forwarded send waits for the remote answer before FLEET_NO_ANSWER. */
  timeoutMs: number;
  /** host → public key pinned by the operator; a host not listed is trusted on first sight of its roster key. */
  pinnedKeys: Map<string, string>;
}

export const BRIDGE_STATE_DIR = 'bridge';
export const SEED_FILE = 'host.nk';

export function loadFleetConfig(env: Env, paths: IapeerPaths): FleetConfig {
  const natsUrl = env.IAPEER_NATS_URL?.trim();
  if (!natsUrl) throw new IapeerError('FLEET_DISABLED', 'IAPEER_NATS_URL is not set: the bridge has nothing to connect to');
  const host = fleetHostName(env);
  if (!HOST_NAME_RE.test(host)) throw new IapeerError('INVALID_INPUT', `IAPEER_HOST ${JSON.stringify(host)} is not a valid host name (^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$)`);
  const creds = env.IAPEER_NATS_CREDS?.trim();
  const auth: NatsAuth = creds ? { kind: 'creds', file: creds } : env.IAPEER_NATS_AUTH === 'nkey' ? { kind: 'nkey' } : { kind: 'none' };
  if (auth.kind === 'creds' && !fs.existsSync(auth.file)) throw new IapeerError('INVALID_INPUT', `IAPEER_NATS_CREDS names ${auth.file}, which does not exist`);
  return {
    natsUrl,
    host,
    seedFile: path.join(paths.serviceStateDir, BRIDGE_STATE_DIR, SEED_FILE),
    auth,
    heartbeatMs: positiveInt(env.IAPEER_FLEET_HEARTBEAT_MS, 2000),
    timeoutMs: positiveInt(env.IAPEER_FLEET_TIMEOUT_MS, 300_000),
    pinnedKeys: parsePinned(env.IAPEER_FLEET_KEYS),
  };
}

/** `A=UAB…,B=UCD…` */
function parsePinned(raw: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new IapeerError('INVALID_INPUT', `IAPEER_FLEET_KEYS entry ${JSON.stringify(pair)} is not <host>=<public key>`);
    out.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return out;
}
