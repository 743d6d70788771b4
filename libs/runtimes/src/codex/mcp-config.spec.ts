import { addCodexMcpServer } from './mcp-config';

const URL = 'http://127.0.0.1:8765/mcp';

const GOLDEN_EMPTY = `check_for_update_on_startup = false

[mcp_servers.iapeer]
url = "http://127.0.0.1:8765/mcp"
default_tools_approval_mode = "approve"
bearer_token_env_var = "IAPEER_BEARER"

[mcp_servers.iapeer.env_http_headers]
"X-IAPeer-Identity" = "PEER_IDENTITY"
"X-IAPeer-Token" = "IAPEER_PEER_TOKEN"
`;

describe('addCodexMcpServer (§8.4)', () => {
  it('writes the golden block into an empty config', () => {
    expect(addCodexMcpServer('', { url: URL })).toEqual({ text: GOLDEN_EMPTY, changed: true });
  });

  it('keeps the user config, prepends the update-check key and appends the tables', () => {
    const existing = 'model = "o3"\n\n[tui]\nscreen_reader_detection_done = true\n';
    expect(addCodexMcpServer(existing, { url: URL, withToken: false }).text).toBe(
      'check_for_update_on_startup = false\n\nmodel = "o3"\n\n[tui]\nscreen_reader_detection_done = true\n\n' +
        '[mcp_servers.iapeer]\nurl = "http://127.0.0.1:8765/mcp"\ndefault_tools_approval_mode = "approve"\nbearer_token_env_var = "IAPEER_BEARER"\n\n' +
        '[mcp_servers.iapeer.env_http_headers]\n"X-IAPeer-Identity" = "PEER_IDENTITY"\n',
    );
  });

  it('is idempotent: a second run changes nothing', () => {
    const once = addCodexMcpServer('', { url: URL }).text;
    expect(addCodexMcpServer(once, { url: URL })).toEqual({ text: once, changed: false });
  });

  it('leaves an existing iapeer table and update-check key alone (appended once, only if absent)', () => {
    const existing = 'check_for_update_on_startup = true\n[mcp_servers.iapeer]\nurl = "http://127.0.0.1:9999/mcp"\n';
    expect(addCodexMcpServer(existing, { url: URL })).toEqual({ text: existing, changed: false });
  });

  it('quotes the URL as a TOML string', () => {
    expect(addCodexMcpServer('', { url: 'http://h/"x"\\' }).text).toContain('url = "http://h/\\"x\\"\\\\"');
  });
});
