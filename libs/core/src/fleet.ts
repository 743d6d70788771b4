/**
 * Fleet naming (docs/fleet.md): every host has a name, and a peer on another host is
 * `<personality>@<host>`. Shared by the router (which hands remote targets to the
 * bridge) and the bridge (which names its roster entry and stream subject after it).
 */
import os from 'node:os';
import { OPTIONAL_SERVICE_NAMES, SERVICE_NAMES, type Env, type ServiceName } from './paths';

/** A host name is one NATS subject token and one KV key: no dots, spaces or wildcards. */
export const HOST_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** The bridge runs (and remote targets are tried) only when a NATS URL is configured. */
export function fleetEnabled(env: Env): boolean {
  return Boolean(env.IAPEER_NATS_URL?.trim());
}

/** IAPEER_HOST, else the machine's hostname up to its first dot, made a valid token. */
export function fleetHostName(env: Env): string {
  const raw = env.IAPEER_HOST?.trim() || os.hostname().split('.')[0] || 'localhost';
  const cleaned = raw.replace(/[^A-Za-z0-9_-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return (cleaned || 'localhost').slice(0, 63);
}

export interface FleetTarget {
  personality: string;
  /** Absent: no `@host` was written. */
  host?: string;
}

/** `bob@B` → {bob, B}; `bob` → {bob}. Validation of both parts is the caller's. */
export function splitFleetTarget(target: string): FleetTarget {
  const at = target.lastIndexOf('@');
  if (at < 0) return { personality: target };
  return { personality: target.slice(0, at), host: target.slice(at + 1) };
}

/** The services this host runs: the four, and the bridge when the fleet is configured. */
export function activeServiceNames(env: Env): readonly ServiceName[] {
  return fleetEnabled(env) ? [...SERVICE_NAMES, ...OPTIONAL_SERVICE_NAMES] : SERVICE_NAMES;
}
