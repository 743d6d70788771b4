import { defaultIntelligence, isKnownIntelligence, normalizeIntelligence } from '@iapeer/core';
import { orderRuntimes, type StoredPeer } from '../file/peer-record';
import type { UpsertArgs } from './validate-input';

/**
 * The H1 merge (docs/behaviour.md §4.3 step 2–3): runtime and cwd from the arguments win;
 * runtimes are the union (default first); description, interfaces and intelligence keep
 * the existing value when the argument is absent; only a brand-new peer gets the runtime's
 * default intelligence; an explicit intelligence of the same nature keeps the legacy raw word.
 */
export function mergeRecord(existing: StoredPeer | undefined, a: UpsertArgs): StoredPeer {
  const rec: StoredPeer = {
    personality: a.personality,
    default_runtime: a.runtime,
    runtimes: orderRuntimes(a.runtime, existing?.runtimes, a.runtimes),
    description: a.description ?? existing?.description ?? '',
    intelligence: mergeIntelligence(existing?.intelligence, a.intelligence, a.runtime),
    cwd: a.cwd,
    extra: existing?.extra ?? {},
  };
  const interfaces = a.interfaces ?? existing?.interfaces;
  if (interfaces !== undefined) rec.interfaces = interfaces;
  return rec;
}

function mergeIntelligence(existingRaw: string | undefined, explicit: string | undefined, runtime: string): string {
  if (explicit === undefined) return existingRaw ?? defaultIntelligence(runtime);
  if (existingRaw && isKnownIntelligence(existingRaw) && normalizeIntelligence(existingRaw) === normalizeIntelligence(explicit)) return existingRaw;
  return explicit;
}

/** True when two records would serialize the same (no write needed). */
export function sameRecord(a: StoredPeer | undefined, b: StoredPeer): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}
