import { loadConfig, type IapeerPaths } from '@iapeer/core';
import type { InitInput } from '@iapeer/contracts';
import type { CliIO } from '../io';
import { codexConfigPath, ensureCodexMcpConfig } from './codex-config';
import { resolveMcpUrl, writeClaudeMcpConfig } from './mcp-config';
import type { withRegistry } from './registry-client';

type Registry = Parameters<Parameters<typeof withRegistry>[1]>[0];

/**
 * What init and create share: ask the registry to write the profile and the record,
 * then (claude peers) write the MCP client config; print warnings to stderr.
 */
export async function enrolPeer(io: CliIO, registry: Registry, paths: IapeerPaths, input: InitInput) {
  const r = await registry.init.mutate(input);
  for (const w of r.warnings) io.err(`warning: ${w}`);
  const config = loadConfig(io.env);
  const url = resolveMcpUrl(paths, config);
  if (r.peer.runtimes.includes('claude')) {
    const mcp = writeClaudeMcpConfig({ cwd: r.peer.cwd, personality: r.peer.personality, url, withToken: config.mcpIdentityMode === 'token' });
    for (const b of mcp.backups) io.err(`warning: the existing file was not valid JSON; saved it as ${b}`);
  }
  if (r.peer.runtimes.includes('codex')) ensureCodexMcpConfig(codexConfigPath(io.env), url, { withToken: config.mcpIdentityMode === 'token' });
  return r;
}
