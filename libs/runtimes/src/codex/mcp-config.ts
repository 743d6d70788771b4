import { IDENTITY_HEADER, TOKEN_HEADER, limits } from '@iapeer/core';

export interface CodexMcpConfigOptions {
  /** The router's MCP URL, e.g. `http://127.0.0.1:8765/mcp`. */
  url: string;
  /**
   * Also send the per-session secret (`X-IAPeer-Token` from `IAPEER_PEER_TOKEN`) that
   * makes a peer's identity unspoofable. Codex omits a header whose env var is unset,
   * so this is harmless in `header-only` mode.
   * @default true
   */
  withToken?: boolean;
}

/** The env var a session's identity token is injected as (the supervisor mints it). */
export const PEER_TOKEN_ENV_VAR = 'IAPEER_PEER_TOKEN';

export interface CodexMcpConfigEdit {
  text: string;
  changed: boolean;
}

const IAPEER_TABLE = /^\s*\[mcp_servers\.iapeer\]\s*$/m;
const UPDATE_CHECK_KEY = /^\s*check_for_update_on_startup\s*=/m;

/**
 * Adds iapeer's MCP server to the text of a host-wide `~/.codex/config.toml`
 * (docs/behaviour.md §8.4): once, only when `[mcp_servers.iapeer]` is absent (a user's own
 * edit of that table is kept), and `check_for_update_on_startup = false` prepended
 * when that key is absent (codex's update screen would otherwise block a boot).
 * Pure: the caller reads and writes the file.
 */
export function addCodexMcpServer(existing: string, opts: CodexMcpConfigOptions): CodexMcpConfigEdit {
  let text = existing;
  let changed = false;
  if (!UPDATE_CHECK_KEY.test(text)) {
    // Top of the file: a bare key after a [table] header would belong to that table.
    text = `check_for_update_on_startup = false\n${text.length > 0 ? '\n' : ''}${text}`;
    changed = true;
  }
  if (!IAPEER_TABLE.test(text)) {
    const sep = text.length === 0 || text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
    text = `${text}${sep}${renderIapeerTables(opts)}`;
    changed = true;
  }
  return { text, changed };
}

function renderIapeerTables(opts: CodexMcpConfigOptions): string {
  const headers = [`${tomlString(IDENTITY_HEADER)} = ${tomlString('PEER_IDENTITY')}`];
  if (opts.withToken ?? true) headers.push(`${tomlString(TOKEN_HEADER)} = ${tomlString(PEER_TOKEN_ENV_VAR)}`);
  return [
    '[mcp_servers.iapeer]',
    `url = ${tomlString(opts.url)}`,
    `default_tools_approval_mode = ${tomlString('approve')}`,
    `bearer_token_env_var = ${tomlString(limits.CODEX_BEARER_ENV_VAR)}`,
    '',
    '[mcp_servers.iapeer.env_http_headers]',
    ...headers,
    '',
  ].join('\n');
}

/** A TOML basic string: JSON's escapes (\" \\ \n \uXXXX) are all valid TOML. */
function tomlString(s: string): string {
  return JSON.stringify(s);
}
