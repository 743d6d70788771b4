import fs from 'node:fs';
import path from 'node:path';
import { IDENTITY_HEADER, limits, resolveHome } from '@iapeer/core';
import { writeFileAtomic } from '@iapeer/storage';

/** `$CODEX_HOME/config.toml` (default `~/.codex/config.toml`): host-wide, shared by every codex peer. */
export function codexConfigPath(env: NodeJS.ProcessEnv): string {
  return path.join(env.CODEX_HOME || path.join(resolveHome(env), '.codex'), 'config.toml');
}

/**
 * §8.4 for codex peers: append the `[mcp_servers.iapeer]` block once (the identity header
 * comes from the session's PEER_IDENTITY; the bearer is a public non-secret stub that only
 * gets past codex's auth gate), and prepend `check_for_update_on_startup = false` when the
 * key is absent. Returns false when the file already had both (nothing written).
 */
export function ensureCodexMcpConfig(file: string, url: string): boolean {
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  let next = text;
  if (!/^\s*check_for_update_on_startup\s*=/m.test(next)) next = `check_for_update_on_startup = false\n${next}`;
  if (!/^\s*\[mcp_servers\.iapeer\]\s*$/m.test(next)) {
    const block = [
      '[mcp_servers.iapeer]',
      `url = ${JSON.stringify(url)}`,
      'default_tools_approval_mode = "approve"',
      `bearer_token_env_var = ${JSON.stringify(limits.CODEX_BEARER_ENV_VAR)}`,
      '',
      '[mcp_servers.iapeer.env_http_headers]',
      `${JSON.stringify(IDENTITY_HEADER)} = "PEER_IDENTITY"`,
      '',
    ].join('\n');
    next = `${next}${next === '' || next.endsWith('\n\n') ? '' : next.endsWith('\n') ? '\n' : '\n\n'}${block}`;
  }
  if (next === text) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileAtomic(file, next, { mode: 0o644 });
  return true;
}
