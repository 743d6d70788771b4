import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolvePaths, type IapeerPaths } from '@iapeer/core';
import {
  listSessionTokens,
  mintSessionToken,
  revokeSessionToken,
  revokeStaleSessionTokens,
  sessionTokenFile,
  verifySessionToken,
} from './index';

describe('session tokens', () => {
  // a throw-away root (a lib may not import @iapeer/testing)
  let sb: { dir: string; paths: IapeerPaths };
  beforeEach(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-tokens-'));
    sb = { dir, paths: resolvePaths({ HOME: dir, IAPEER_ROOT: path.join(dir, 'root') }) };
  });
  afterEach(() => fs.rmSync(sb.dir, { recursive: true, force: true }));

  it('mint returns ≥128 random bits as base64url and keeps only the sha256 hash, 0600', () => {
    const token = mintSessionToken(sb.paths, 'claude-boris');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 bytes
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const file = sessionTokenFile(sb.paths, 'claude-boris');
    expect(file).toBe(`${sb.paths.lifecycleDir}/claude-boris.token`);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatch(/^[0-9a-f]{64}\n$/);
    expect(text).not.toContain(token);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(mintSessionToken(sb.paths, 'claude-alice')).not.toBe(token);
  });

  it('verify accepts the minted token only, for its own identity only', () => {
    const token = mintSessionToken(sb.paths, 'claude-boris');
    expect(verifySessionToken(sb.paths, 'claude-boris', token)).toBe(true);
    expect(verifySessionToken(sb.paths, 'claude-boris', token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBe(false);
    expect(verifySessionToken(sb.paths, 'claude-boris', undefined)).toBe(false);
    expect(verifySessionToken(sb.paths, 'claude-boris', '')).toBe(false);
    expect(verifySessionToken(sb.paths, 'claude-alice', token)).toBe(false); // no file for alice
    mintSessionToken(sb.paths, 'claude-alice');
    expect(verifySessionToken(sb.paths, 'claude-alice', token)).toBe(false); // boris's token is not alice's
  });

  it('a new mint makes the previous session token stale; revoke kills the current one', () => {
    const first = mintSessionToken(sb.paths, 'codex-boris');
    const second = mintSessionToken(sb.paths, 'codex-boris');
    expect(verifySessionToken(sb.paths, 'codex-boris', first)).toBe(false);
    expect(verifySessionToken(sb.paths, 'codex-boris', second)).toBe(true);
    expect(revokeSessionToken(sb.paths, 'codex-boris')).toBe(true);
    expect(verifySessionToken(sb.paths, 'codex-boris', second)).toBe(false);
    expect(revokeSessionToken(sb.paths, 'codex-boris')).toBe(false);
  });

  it('revoke with a token removes only that session\'s token, never its successor\'s', () => {
    const old = mintSessionToken(sb.paths, 'claude-boris');
    const current = mintSessionToken(sb.paths, 'claude-boris');
    expect(revokeSessionToken(sb.paths, 'claude-boris', old)).toBe(false);
    expect(verifySessionToken(sb.paths, 'claude-boris', current)).toBe(true);
    expect(revokeSessionToken(sb.paths, 'claude-boris', current)).toBe(true);
    expect(fs.existsSync(sessionTokenFile(sb.paths, 'claude-boris'))).toBe(false);
  });

  it('refuses a malformed identity (no path tricks) with INVALID_INPUT; verify just says false', () => {
    for (const bad of ['../x', 'boris', 'claude-../../etc', '']) {
      expect(() => mintSessionToken(sb.paths, bad)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
      expect(verifySessionToken(sb.paths, bad, 'x')).toBe(false);
    }
  });

  it('a hash file that is not one of ours (garbage, symlink) verifies nothing', () => {
    const token = mintSessionToken(sb.paths, 'claude-boris');
    const file = sessionTokenFile(sb.paths, 'claude-boris');
    fs.writeFileSync(file, token); // the raw token instead of its hash
    expect(verifySessionToken(sb.paths, 'claude-boris', token)).toBe(false);
    const real = `${sb.dir}/elsewhere`;
    fs.writeFileSync(real, fs.readFileSync(file));
    fs.rmSync(file);
    fs.symlinkSync(real, file);
    expect(verifySessionToken(sb.paths, 'claude-boris', token)).toBe(false);
  });

  it('revokeStaleSessionTokens removes the tokens of sessions that are not live', async () => {
    mintSessionToken(sb.paths, 'claude-boris');
    const alive = mintSessionToken(sb.paths, 'claude-alice');
    fs.writeFileSync(`${sb.paths.lifecycleDir}/claude-alice.stopped`, 'x'); // other lifecycle files are left alone
    expect(listSessionTokens(sb.paths)).toEqual(['claude-alice', 'claude-boris']);
    const revoked = await revokeStaleSessionTokens(sb.paths, async (id) => id === 'claude-alice');
    expect(revoked).toEqual(['claude-boris']);
    expect(listSessionTokens(sb.paths)).toEqual(['claude-alice']);
    expect(verifySessionToken(sb.paths, 'claude-alice', alive)).toBe(true);
    expect(fs.existsSync(`${sb.paths.lifecycleDir}/claude-alice.stopped`)).toBe(true);
  });

  it('listSessionTokens is empty when the lifecycle dir does not exist yet', () => {
    expect(listSessionTokens(sb.paths)).toEqual([]);
  });
});
