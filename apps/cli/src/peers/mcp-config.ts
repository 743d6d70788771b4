import fs from 'node:fs';
import path from 'node:path';
import { IDENTITY_HEADER, PEER_TOKEN_ENV_VAR, TOKEN_HEADER, type IapeerConfig, type IapeerPaths } from '@iapeer/core';
import { writeFileAtomic } from '@iapeer/storage';

/** The router's MCP URL: from router.json (written by the router on listen), else the configured port. */
export function resolveMcpUrl(paths: IapeerPaths, config: IapeerConfig): string {
  try {
    const discovery = JSON.parse(fs.readFileSync(paths.routerJson, 'utf8'));
    if (typeof discovery.tcp === 'string' && discovery.tcp) return discovery.tcp;
  } catch {
    // no router.json (router not running yet) or unreadable: the default URL is right
  }
  return `http://127.0.0.1:${config.mcpPort}/mcp`;
}

/** Reads a JSON object file; a corrupt one is copied to `<file>.corrupt.bak` and treated as empty. */
function readJsonObject(file: string): { value: Record<string, unknown>; backup?: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { value: {} };
    throw err;
  }
  try {
    const v = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return { value: v };
  } catch {
    // fall through: a corrupt file is backed up, never silently lost
  }
  const backup = `${file}.corrupt.bak`;
  fs.copyFileSync(file, backup);
  return { value: {}, backup };
}

export interface McpConfigResult {
  written: string[];
  backups: string[];
}

/**
 * §8.4 for claude peers: merge `mcpServers.iapeer` into `<cwd>/.mcp.json` (mode 0644;
 * Claude expands `${PEER_IDENTITY:-claude-<p>}` from the session environment), and approve
 * it in `<cwd>/.claude/settings.local.json` (`enabledMcpjsonServers`), so the server is
 * connected without an interactive prompt (docs/notes/stack.md "Project MCP servers"). Other keys are kept.
 */
export function writeClaudeMcpConfig(opts: { cwd: string; personality: string; url: string; withToken: boolean }): McpConfigResult {
  const result: McpConfigResult = { written: [], backups: [] };
  const mcpFile = path.join(opts.cwd, '.mcp.json');
  const mcp = readJsonObject(mcpFile);
  if (mcp.backup) result.backups.push(mcp.backup);
  const headers: Record<string, string> = { [IDENTITY_HEADER]: `\${PEER_IDENTITY:-claude-${opts.personality}}` };
  if (opts.withToken) headers[TOKEN_HEADER] = `\${${PEER_TOKEN_ENV_VAR}:-}`;
  const servers = (mcp.value.mcpServers && typeof mcp.value.mcpServers === 'object' ? mcp.value.mcpServers : {}) as Record<string, unknown>;
  mcp.value.mcpServers = { ...servers, iapeer: { type: 'http', url: opts.url, headers } };
  writeFileAtomic(mcpFile, JSON.stringify(mcp.value, null, 2) + '\n', { mode: 0o644 });
  result.written.push(mcpFile);

  const settingsFile = path.join(opts.cwd, '.claude', 'settings.local.json');
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true, mode: 0o700 });
  const settings = readJsonObject(settingsFile);
  if (settings.backup) result.backups.push(settings.backup);
  const enabled = Array.isArray(settings.value.enabledMcpjsonServers) ? settings.value.enabledMcpjsonServers : [];
  if (!enabled.includes('iapeer')) settings.value.enabledMcpjsonServers = [...enabled, 'iapeer'];
  writeFileAtomic(settingsFile, JSON.stringify(settings.value, null, 2) + '\n', { mode: 0o644 });
  result.written.push(settingsFile);
  return result;
}
