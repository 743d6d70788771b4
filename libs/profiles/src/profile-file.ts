/**
 * The one reader and the one writer of `<peer cwd>/.iapeer/peer-profile.json`
 * (shape: contracts' PeerProfileSchema). The registry service is the writer's only
 * caller (it writes profiles on the CLI's behalf); services and the CLI read through
 * `readPeerProfile` so every reader sees the same fields, legacy values included.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PEER_PROFILE_RELPATH, PeerProfileSchema, type PeerProfile } from '@iapeer/contracts';
import { errorMessage } from '@iapeer/core';
import { writeFileAtomic } from '@iapeer/storage';

/** The profile is a project file the peer's tools read: shared mode, like .mcp.json. */
const PROFILE_MODE = 0o644;

export const profilePath = (cwd: string): string => path.join(cwd, PEER_PROFILE_RELPATH);

/** `missing`: no file (or no folder); `invalid`: unreadable, not JSON, or not the profile's shape. */
export type ProfileRead = { state: 'missing' } | { state: 'invalid'; reason: string } | { state: 'ok'; profile: PeerProfile };

export function readPeerProfile(cwd: string): ProfileRead {
  let text: string;
  try {
    text = fs.readFileSync(profilePath(cwd), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { state: 'missing' };
    return { state: 'invalid', reason: `unreadable: ${errorMessage(err)}` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { state: 'invalid', reason: `not valid JSON (${errorMessage(err)})` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { state: 'invalid', reason: 'not a JSON object' };
  const parsed = PeerProfileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { state: 'invalid', reason: `${issue.path.join('.') || 'profile'}: ${issue.message}` };
  }
  return { state: 'ok', profile: parsed.data };
}

/** The profile when it reads cleanly, else undefined (for readers that fall back to something else). */
export function peerProfileOrUndefined(cwd: string): PeerProfile | undefined {
  const r = readPeerProfile(cwd);
  return r.state === 'ok' ? r.profile : undefined;
}

/** The default runtime a profile names: `default_runtime`, else the legacy `runtime` mirror. */
export const profileDefaultRuntime = (p: PeerProfile): string | undefined => p.default_runtime ?? p.runtime;

/** Writes the whole profile atomically (pretty JSON, trailing newline); the caller merged it. */
export function writePeerProfile(cwd: string, profile: PeerProfile): string {
  const file = profilePath(cwd);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileAtomic(file, JSON.stringify(PeerProfileSchema.parse(profile), null, 2) + '\n', { mode: PROFILE_MODE });
  return file;
}
