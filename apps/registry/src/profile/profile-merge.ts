/**
 * How the registry merges an update into a peer profile and projects a profile to its
 * registry record (the profile is read and written through @iapeer/profiles).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  defaultIntelligence, isKnownIntelligence, isPersonality, isRuntime, type Intelligence,
} from '@iapeer/core';
import { PeerProfileSchema, type PeerProfile } from '@iapeer/contracts';
import { profileDefaultRuntime, readPeerProfile } from '@iapeer/profiles';
import { clampDescription, orderRuntimes, type StoredPeer } from '../file/peer-record';

/** Known profile keys (PeerProfileSchema's, in its order); anything else follows, untouched. */
const PROFILE_KEYS: readonly string[] = Object.keys(PeerProfileSchema.shape);

/** True when the folder's profile names this personality (the folder still owns the name). */
export function profileClaims(cwd: string, personality: string): boolean {
  const p = readPeerProfile(cwd);
  return p.state === 'ok' && p.profile.personality === personality;
}

export interface ProfileUpdate {
  personality: string;
  runtime: string;
  runtimes: string[];
  /** Already clamped; blank means "keep what is there". */
  description?: string;
  /** Raw value to write; undefined keeps the existing one (or the runtime default for a new profile). */
  intelligence?: string;
  initial_prompt?: string;
  /** Channels to set, each replacing the profile's entry for that channel; the others are kept. */
  interfaces?: Record<string, unknown>;
}

/**
 * Merge over the raw existing JSON (docs/behaviour.md §4.5): unknown fields kept, a non-empty
 * description never wiped by an empty one, intelligence never changed without an explicit
 * value (and a legacy raw word kept when the explicit value means the same nature), an
 * explicit initial_prompt wins, otherwise the existing one stays.
 */
export function mergeProfile(existing: PeerProfile | null, u: ProfileUpdate, nature: (raw: string) => Intelligence): PeerProfile {
  const old: PeerProfile = existing ?? {};
  const oldRuntimes = (old.runtimes ?? []).filter((r) => isRuntime(r));
  const oldDefault = profileDefaultRuntime(old);
  const oldIntel = old.intelligence?.trim() ? old.intelligence : undefined;
  let intelligence = oldIntel ?? defaultIntelligence(u.runtime);
  if (u.intelligence !== undefined) {
    intelligence = oldIntel && isKnownIntelligence(oldIntel) && nature(oldIntel) === nature(u.intelligence) ? oldIntel : u.intelligence;
  }
  const description = u.description && u.description.trim() ? u.description : (old.description ?? '');
  const known: PeerProfile = {
    personality: u.personality,
    default_runtime: u.runtime,
    runtime: u.runtime,
    runtimes: orderRuntimes(u.runtime, oldDefault && isRuntime(oldDefault) ? [oldDefault] : [], oldRuntimes, u.runtimes),
    description,
    intelligence,
  };
  const initialPrompt = u.initial_prompt !== undefined ? u.initial_prompt : old.initial_prompt;
  if (initialPrompt !== undefined) known.initial_prompt = initialPrompt;
  if (old.interfaces !== undefined || u.interfaces !== undefined) known.interfaces = { ...old.interfaces, ...u.interfaces };
  if (old.wake_policy !== undefined) known.wake_policy = old.wake_policy;
  const rest = Object.fromEntries(Object.entries(old).filter(([k]) => !PROFILE_KEYS.includes(k)));
  return { ...known, ...rest };
}

/**
 * The registry record a profile projects to ("profile wins over registry"), or why it
 * cannot: the same read rules as the registry file.
 */
export function recordFromProfile(cwd: string, raw: PeerProfile, extra: Record<string, unknown> = {}): StoredPeer | string {
  const { personality, interfaces } = raw;
  if (!isPersonality(personality)) return `invalid personality ${JSON.stringify(personality)}`;
  const def = profileDefaultRuntime(raw);
  if (!isRuntime(def)) return `invalid default_runtime ${JSON.stringify(def)}`;
  let intelligence = raw.intelligence?.trim() ?? '';
  if (intelligence === '') intelligence = defaultIntelligence(def);
  else if (!isKnownIntelligence(intelligence)) return `unknown intelligence ${JSON.stringify(raw.intelligence)}`;
  const runtimes = (raw.runtimes ?? []).filter((r) => isRuntime(r));
  const rec: StoredPeer = {
    personality,
    default_runtime: def,
    runtimes: orderRuntimes(def, runtimes),
    description: clampDescription(raw.description ?? '').description,
    intelligence,
    cwd,
    extra,
  };
  if (interfaces !== undefined) rec.interfaces = interfaces;
  return rec;
}

/**
 * `discoverPeerRuntimes` (§4.5): the current runtime, plus claude if `.claude/` exists,
 * codex if `.codex/` exists, plus every runtime-named directory under `.iapeer/runtimes/`.
 */
export function discoverPeerRuntimes(cwd: string, current: string): string[] {
  const found = [current];
  const isDir = (p: string) => {
    try {
      return fs.statSync(p).isDirectory();
    } catch {
      return false; // absent: not a runtime of this peer
    }
  };
  if (isDir(path.join(cwd, '.claude'))) found.push('claude');
  if (isDir(path.join(cwd, '.codex'))) found.push('codex');
  const rtDir = path.join(cwd, '.iapeer', 'runtimes');
  if (isDir(rtDir)) for (const name of fs.readdirSync(rtDir).sort()) if (isRuntime(name) && isDir(path.join(rtDir, name))) found.push(name);
  return orderRuntimes(current, found);
}
