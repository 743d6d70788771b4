import fs from 'node:fs';
import path from 'node:path';
import {
  defaultIntelligence, errorMessage, isKnownIntelligence, isPersonality, isRuntime, type Intelligence,
} from '@iapeer/core';
import { writeFileAtomic } from '@iapeer/storage';
import { clampDescription, orderRuntimes, type PeerRecord } from '../file/peer-record';

/** `<cwd>/.iapeer/peer-profile.json`: the peer's own profile, the source of truth (§4.5). */
export const profilePath = (cwd: string) => path.join(cwd, '.iapeer', 'peer-profile.json');

/** The profile is a project file the peer's tools read: shared mode, like .mcp.json (§3.4). */
const PROFILE_MODE = 0o644;

/** Known profile keys in the order they are written; anything else follows, untouched. */
const PROFILE_KEYS = ['personality', 'default_runtime', 'runtime', 'runtimes', 'description', 'intelligence', 'initial_prompt', 'interfaces', 'wake_policy'];

export type RawProfile = Record<string, unknown>;

export type ProfileRead = { state: 'missing' } | { state: 'invalid'; reason: string } | { state: 'ok'; raw: RawProfile };

export function readProfile(cwd: string): ProfileRead {
  let text: string;
  try {
    text = fs.readFileSync(profilePath(cwd), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return { state: 'missing' };
    return { state: 'invalid', reason: `unreadable: ${errorMessage(err)}` };
  }
  try {
    const raw = JSON.parse(text);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { state: 'invalid', reason: 'not a JSON object' };
    return { state: 'ok', raw };
  } catch (err) {
    return { state: 'invalid', reason: `not valid JSON (${errorMessage(err)})` };
  }
}

/** True when the folder's profile names this personality (the folder still owns the name). */
export function profileClaims(cwd: string, personality: string): boolean {
  const p = readProfile(cwd);
  return p.state === 'ok' && p.raw.personality === personality;
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
}

/**
 * Merge over the raw existing JSON (docs/behaviour.md §4.5): unknown fields kept, a non-empty
 * description never wiped by an empty one, intelligence never changed without an explicit
 * value (and a legacy raw word kept when the explicit value means the same nature), an
 * explicit initial_prompt wins, otherwise the existing one stays.
 */
export function mergeProfile(existing: RawProfile | null, u: ProfileUpdate, nature: (raw: string) => Intelligence): RawProfile {
  const old = existing ?? {};
  const oldRuntimes = Array.isArray(old.runtimes) ? old.runtimes.filter((r): r is string => isRuntime(r)) : [];
  const oldDefault = typeof old.default_runtime === 'string' ? old.default_runtime : typeof old.runtime === 'string' ? old.runtime : undefined;
  const oldIntel = typeof old.intelligence === 'string' && old.intelligence.trim() ? old.intelligence : undefined;
  let intelligence = oldIntel ?? defaultIntelligence(u.runtime);
  if (u.intelligence !== undefined) {
    intelligence = oldIntel && isKnownIntelligence(oldIntel) && nature(oldIntel) === nature(u.intelligence) ? oldIntel : u.intelligence;
  }
  const description = u.description && u.description.trim() ? u.description : typeof old.description === 'string' ? old.description : '';
  const known: RawProfile = {
    personality: u.personality,
    default_runtime: u.runtime,
    runtime: u.runtime,
    runtimes: orderRuntimes(u.runtime, oldDefault && isRuntime(oldDefault) ? [oldDefault] : [], oldRuntimes, u.runtimes),
    description,
    intelligence,
  };
  const initialPrompt = u.initial_prompt !== undefined ? u.initial_prompt : old.initial_prompt;
  if (initialPrompt !== undefined) known.initial_prompt = initialPrompt;
  if (old.interfaces !== undefined) known.interfaces = old.interfaces;
  if (old.wake_policy !== undefined) known.wake_policy = old.wake_policy;
  const rest = Object.fromEntries(Object.entries(old).filter(([k]) => !PROFILE_KEYS.includes(k)));
  return { ...known, ...rest };
}

export function writeProfile(cwd: string, profile: RawProfile): string {
  const file = profilePath(cwd);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileAtomic(file, JSON.stringify(profile, null, 2) + '\n', { mode: PROFILE_MODE });
  return file;
}

/**
 * The registry record a profile projects to ("profile wins over registry"), or why it
 * cannot: the same read rules as the registry file.
 */
export function recordFromProfile(cwd: string, raw: RawProfile, extra: Record<string, unknown> = {}): PeerRecord | string {
  const { personality, interfaces } = raw;
  if (!isPersonality(personality)) return `invalid personality ${JSON.stringify(personality)}`;
  const def = raw.default_runtime ?? raw.runtime;
  if (!isRuntime(def)) return `invalid default_runtime ${JSON.stringify(def)}`;
  if (interfaces !== undefined && (typeof interfaces !== 'object' || interfaces === null || Array.isArray(interfaces))) return '"interfaces" is not an object';
  let intelligence = typeof raw.intelligence === 'string' ? raw.intelligence.trim() : '';
  if (intelligence === '') intelligence = defaultIntelligence(def);
  else if (!isKnownIntelligence(intelligence)) return `unknown intelligence ${JSON.stringify(raw.intelligence)}`;
  const runtimes = Array.isArray(raw.runtimes) ? raw.runtimes.filter((r): r is string => isRuntime(r)) : [];
  const rec: PeerRecord = {
    personality,
    default_runtime: def,
    runtimes: orderRuntimes(def, runtimes),
    description: clampDescription(typeof raw.description === 'string' ? raw.description : '').description,
    intelligence,
    cwd,
    extra,
  };
  if (interfaces !== undefined) rec.interfaces = interfaces as Record<string, unknown>;
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
