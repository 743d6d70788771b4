import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureCodexMcpConfig } from './codex-config';

// The codex MCP client config sends the session token (issue 9): env_http_headers maps
// X-IAPeer-Token to IAPEER_PEER_TOKEN, which the supervisor injects into the session.
describe('ensureCodexMcpConfig and the session token', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-codex-'));
    file = path.join(dir, 'config.toml');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const URL = 'http://127.0.0.1:1234/mcp';
  const OLD_BLOCK = [
    'check_for_update_on_startup = false',
    '',
    '[mcp_servers.iapeer]',
    `url = "${URL}"`,
    'default_tools_approval_mode = "approve"',
    'bearer_token_env_var = "IAPEER_BEARER"',
    '',
    '[mcp_servers.iapeer.env_http_headers]',
    '"X-IAPeer-Identity" = "PEER_IDENTITY"',
    '',
    '[profiles.other]',
    'model = "x"',
    '',
  ].join('\n');

  it('a new block maps X-IAPeer-Token to IAPEER_PEER_TOKEN next to the identity header', () => {
    expect(ensureCodexMcpConfig(file, URL)).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toContain('[mcp_servers.iapeer.env_http_headers]\n"X-IAPeer-Identity" = "PEER_IDENTITY"\n"X-IAPeer-Token" = "IAPEER_PEER_TOKEN"\n');
    expect(ensureCodexMcpConfig(file, URL)).toBe(false);
  });

  it('a block written before tokens gets the token line under its own table, once; other tables are untouched', () => {
    fs.writeFileSync(file, OLD_BLOCK);
    expect(ensureCodexMcpConfig(file, URL)).toBe(true);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toBe(OLD_BLOCK.replace('[mcp_servers.iapeer.env_http_headers]\n', '[mcp_servers.iapeer.env_http_headers]\n"X-IAPeer-Token" = "IAPEER_PEER_TOKEN"\n'));
    expect(ensureCodexMcpConfig(file, URL)).toBe(false);
  });

  it('header-only mode writes no token line and adds none', () => {
    fs.writeFileSync(file, OLD_BLOCK);
    expect(ensureCodexMcpConfig(file, URL, { withToken: false })).toBe(false);
    fs.rmSync(file);
    ensureCodexMcpConfig(file, URL, { withToken: false });
    expect(fs.readFileSync(file, 'utf8')).not.toContain('X-IAPeer-Token');
  });
});
