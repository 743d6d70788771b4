import fs from 'node:fs';
import path from 'node:path';
import { IDENTITY_HEADER, PEER_TOKEN_ENV_VAR, TOKEN_HEADER, limits, resolveHome } from '@iapeer/core';
import { writeFileAtomic } from '@iapeer/storage';

/** `$CODEX_HOME/config.toml` (default `~/.codex/config.toml`): host-wide, shared by every codex peer. */
export function codexConfigPath(env: NodeJS.ProcessEnv): string {
  return path.join(env.CODEX_HOME || path.join(resolveHome(env), '.codex'), 'config.toml');
}

const TOKEN_LINE = `${JSON.stringify(TOKEN_HEADER)} = ${JSON.stringify(PEER_TOKEN_ENV_VAR)}`;
const HEADERS_TABLE_RE = /^[ \t]*\[mcp_servers\.iapeer\.env_http_headers\][ \t]*$/m;
const TOKEN_KEY_RE = new RegExp(`^\\s*"?${TOKEN_HEADER}"?\\s*=`, 'm');

/**
 * §8.4 for codex peers: append the `[mcp_servers.iapeer]` block once (the identity header
 * comes from the session's PEER_IDENTITY; the bearer is a public non-secret stub that only
 * gets past codex's auth gate), and prepend `check_for_update_on_startup = false` when the
 * key is absent. With `withToken` (the default `token` identity mode, issue 9) the block
 * also maps X-IAPeer-Token to the session's IAPEER_PEER_TOKEN, and an existing block
 * written before that gets the line added under its env_http_headers table.
 * Returns false when the file already had everything (nothing written).
 */
export function ensureCodexMcpConfig(file: string, url: string, opts: { withToken?: boolean } = {}): boolean {
  const withToken = opts.withToken ?? true;
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
      ...(withToken ? [TOKEN_LINE] : []),
      '',
    ].join('\n');
    next = `${next}${next === '' || next.endsWith('\n\n') ? '' : next.endsWith('\n') ? '\n' : '\n\n'}${block}`;
  } else if (withToken && HEADERS_TABLE_RE.test(next) && !TOKEN_KEY_RE.test(tableBody(next))) {
    next = next.replace(HEADERS_TABLE_RE, (header) => `${header}\n${TOKEN_LINE}`);
  }
  if (next === text) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileAtomic(file, next, { mode: 0o644 });
  return true;
}

/** The lines of `[mcp_servers.iapeer.env_http_headers]` up to the next table header. */
function tableBody(text: string): string {
  const m = HEADERS_TABLE_RE.exec(text);
  if (!m) return '';
  const rest = text.slice(m.index + m[0].length);
  const next = /^\s*\[/m.exec(rest);
  return next ? rest.slice(0, next.index) : rest;
}
