import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, runCli } from '@iapeer/testing';
import { mcpUrl, startRouterStack, type RouterStack } from './support/router-stack';

const CLAUDE_BIN = path.join(REPO_ROOT, 'node_modules', '.bin', 'claude');

/** Runs the real Claude Code CLI (devDependency) with a throw-away HOME; stdout and stderr merged. */
function runClaude(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(CLAUDE_BIN, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`claude ${args.join(' ')} timed out: ${out}`));
    }, 90_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** The sandbox env for Claude Code: no variable of an enclosing Claude session leaks in. */
function claudeEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, DISABLE_AUTOUPDATER: '1' };
  for (const key of Object.keys(out)) if (key.startsWith('CLAUDE_') || key === 'CLAUDECODE' || key === 'ANTHROPIC_API_KEY') delete out[key];
  // as root, Claude Code refuses some flags unless it is told it runs in a sandbox (docs/notes/stack.md)
  if (process.getuid?.() === 0) out.IS_SANDBOX = '1';
  return out;
}

// A real MCP client of the router: the `.mcp.json` that `iapeer init` writes for a claude
// peer (URL from router.json, the identity header, approved in .claude/settings.local.json)
// is what Claude Code reads; `claude mcp list`, run in the peer's folder, connects to the
// router's endpoint and says so. The SDK client's own send_to_peer is in mcp-send.spec.ts.
describe('claude mcp list (Claude Code 2.1.197) in a claude peer folder made by `iapeer init`', () => {
  let rs: RouterStack;
  let cwd: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    rs = await startRouterStack([]);
    cwd = path.join(rs.sb.dir, 'work', 'quill');
    fs.mkdirSync(cwd, { recursive: true });
    env = claudeEnv(rs.sb.env);
    // Claude Code needs onboarding done (else it checks connectivity and stops) and the
    // folder trusted (else project MCP servers stay "⏸ Pending approval"): what the trust
    // dialog at a peer's first boot records. Seeded only in the throw-away HOME.
    fs.writeFileSync(
      path.join(rs.sb.home, '.claude.json'),
      JSON.stringify({ hasCompletedOnboarding: true, projects: { [fs.realpathSync(cwd)]: { hasTrustDialogAccepted: true } } }),
      { mode: 0o600 },
    );
  }, 60_000);
  afterAll(() => rs.stop(), 60_000);

  it('`iapeer init --runtime claude` writes .mcp.json with the advertised URL and the identity header', async () => {
    const init = await runCli(['init', cwd, '--runtime', 'claude'], rs.sb.env);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const mcp = JSON.parse(fs.readFileSync(path.join(cwd, '.mcp.json'), 'utf8'));
    expect(mcp.mcpServers.iapeer).toEqual({ type: 'http', url: mcpUrl(rs.sb), headers: { 'X-IAPeer-Identity': '${PEER_IDENTITY:-claude-quill}' } });
  });

  it('reports the iapeer server as connected', async () => {
    const r = await runClaude(['mcp', 'list'], { cwd, env });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`iapeer: ${mcpUrl(rs.sb).replace(/[.]/g, '\\.')} \\(HTTP\\) - [✔✓] Connected`));
  }, 120_000);

  it('and as failing once the router is down (the check really reaches the endpoint)', async () => {
    await rs.stack.kill('router');
    const r = await runClaude(['mcp', 'list'], { cwd, env });
    expect(r.out).toMatch(/iapeer: .* - [✘✗] Failed to connect/);
  }, 120_000);
});
