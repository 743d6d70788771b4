import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeTempHome, type TempHome } from '../testing/temp-home';
import { CODEX_DEV_BIN } from '../testing/real-cli';
import { addCodexMcpServer } from './mcp-config';

const run = promisify(execFile);

/** The written config is read by the REAL Codex 0.169.0 as the MCP server iapeer means. */
describe('codex MCP config × real Codex', () => {
  let sb: TempHome;
  beforeAll(() => {
    sb = makeTempHome();
    fs.mkdirSync(path.join(sb.home, '.codex'));
    const existing = '[tui]\nscreen_reader_detection_done = true\n';
    fs.writeFileSync(path.join(sb.home, '.codex', 'config.toml'), addCodexMcpServer(existing, { url: 'http://127.0.0.1:48765/mcp' }).text);
  });
  afterAll(() => sb.cleanup());

  it('`codex mcp get iapeer --json` shows the URL, the bearer stub variable and both identity headers', async () => {
    const env = { ...sb.env };
    delete env.CODEX_HOME;
    const { stdout } = await run(CODEX_DEV_BIN, ['mcp', 'get', 'iapeer', '--json'], { env, cwd: sb.dir, timeout: 60_000 });

    const server = JSON.parse(stdout.slice(stdout.indexOf('{')));
    expect(server).toMatchObject({
      name: 'iapeer',
      enabled: true,
      transport: {
        type: 'streamable_http',
        url: 'http://127.0.0.1:48765/mcp',
        bearer_token_env_var: 'IAPEER_BEARER',
        env_http_headers: { 'X-IAPeer-Identity': 'PEER_IDENTITY', 'X-IAPeer-Token': 'IAPEER_PEER_TOKEN' },
      },
    });
  });
});
