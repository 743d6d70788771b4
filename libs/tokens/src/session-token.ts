/**
 * Per-session tokens (issue 9): the supervisor mints one when it spawns a session and
 * injects it as IAPEER_PEER_TOKEN; the router accepts an MCP call as `<identity>` only
 * with that token. Only the sha256 of the token is kept on disk
 * (`<root>/state/lifecycle/<identity>.token`, 0600), so reading the file proves nothing.
 * Minting again replaces the hash (the previous session's token goes stale at once);
 * revoking deletes it (a token dies with its session).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import { IapeerError, parseIdentity, type IapeerPaths } from '@iapeer/core';
import { clearMarker, ensureDir, writeFileAtomic } from '@iapeer/storage';

/** 256 random bits: well above the ≥128 the issue asks for, and still a short header. */
export const TOKEN_BYTES = 32;
export const TOKEN_FILE_SUFFIX = 'token';
const HASH_HEX_RE = /^[0-9a-f]{64}$/;

/** `<root>/state/lifecycle/<identity>.token`; refuses anything that is not an identity (no path tricks). */
export function sessionTokenFile(paths: IapeerPaths, identity: string): string {
  if (typeof identity !== 'string' || !parseIdentity(identity)) {
    throw new IapeerError('INVALID_INPUT', `invalid identity ${JSON.stringify(identity)} for a session token: expected "<runtime>-<personality>"`, {
      data: { identity },
    });
  }
  return paths.peerStateFile(identity, TOKEN_FILE_SUFFIX);
}

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * Mints a fresh token for the session about to start as `identity`, stores its hash
 * (atomic write, 0600) and returns the token itself — the only copy: hand it to the
 * session env and forget it.
 */
export function mintSessionToken(paths: IapeerPaths, identity: string): string {
  const file = sessionTokenFile(paths, identity);
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  ensureDir(paths.lifecycleDir);
  writeFileAtomic(file, `${hashToken(token).toString('hex')}\n`);
  return token;
}

/** The stored hash, or null when there is none (no live session) or the file is not one of ours. */
function readStoredHash(file: string): Buffer | null {
  let text: string;
  try {
    const st = fs.lstatSync(file);
    // a symlink or anything but a plain file is not something mint wrote
    if (!st.isFile()) return null;
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return HASH_HEX_RE.test(text) ? Buffer.from(text, 'hex') : null;
}

/**
 * True only when `token` is the one minted for the current session of `identity`.
 * Compares sha256 digests with timingSafeEqual (equal lengths by construction), so
 * the time taken says nothing about how much of the token was right.
 */
export function verifySessionToken(paths: IapeerPaths, identity: string, token: string | undefined): boolean {
  if (typeof token !== 'string' || token.length === 0) return false;
  if (typeof identity !== 'string' || !parseIdentity(identity)) return false;
  const stored = readStoredHash(sessionTokenFile(paths, identity));
  if (!stored) return false;
  return timingSafeEqual(stored, hashToken(token));
}

/**
 * Forgets the session's token (its session died or was stopped). True when one was removed.
 * With `only`, removes the file only while it still holds that token's hash: a late
 * revoke for a dead session then cannot erase the token of the session that replaced it.
 */
export function revokeSessionToken(paths: IapeerPaths, identity: string, only?: string): boolean {
  const file = sessionTokenFile(paths, identity);
  if (only !== undefined && !verifySessionToken(paths, identity, only)) return false;
  return clearMarker(file);
}

/** Identities that currently hold a token file (for a reconcile sweep after a crash). */
export function listSessionTokens(paths: IapeerPaths): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(paths.lifecycleDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const suffix = `.${TOKEN_FILE_SUFFIX}`;
  return names
    .filter((n) => n.endsWith(suffix))
    .map((n) => n.slice(0, -suffix.length))
    .filter((id) => parseIdentity(id) !== null)
    .sort();
}

/**
 * Revokes the token of every identity whose session is not live: what a supervisor
 * runs on start, since a session that died while it was down was never revoked.
 * Returns the revoked identities.
 */
export async function revokeStaleSessionTokens(paths: IapeerPaths, isLive: (identity: string) => Promise<boolean>): Promise<string[]> {
  const revoked: string[] = [];
  for (const identity of listSessionTokens(paths)) {
    if (await isLive(identity)) continue;
    if (revokeSessionToken(paths, identity)) revoked.push(identity);
  }
  return revoked;
}
