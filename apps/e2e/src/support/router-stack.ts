/**
 * What the router e2e specs share: a real four-service stack in a sandbox with the fake
 * agent as a runtime, MCP clients from the SDK, the fake agents' transcripts, the
 * delivery.log as `iapeer logs delivery` prints it, and a snapshot of everything on
 * disk a send could change (to prove that a refusal changed nothing).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { parseLogfmt } from '@iapeer/logclient';
import { installFakeRuntime, makeSandbox, readFakeTranscript, runCli, TestStack, waitFor, type Sandbox } from '@iapeer/testing';

export interface RouterStack {
  sb: Sandbox;
  stack: TestStack;
  /** Every SDK client opened through `mcp()`, closed by `stop()`. */
  clients: Client[];
  stop(): Promise<void>;
}

/**
 * Starts the real stack. `IAPEER_MCP_IDENTITY=header-only`: these specs test the §8.2
 * identity header; per-session tokens are another branch's (trust) tests.
 * The supervise tick is pushed out of the way so nothing but the sends acts.
 */
export async function startRouterStack(peers: string[], extraEnv: Record<string, string> = {}): Promise<RouterStack> {
  const sb = makeSandbox({ IAPEER_SUPERVISE_INTERVAL_MS: '3600000', IAPEER_MCP_IDENTITY: 'header-only', ...extraEnv });
  installFakeRuntime(sb);
  const stack = new TestStack(sb);
  await stack.start();
  for (const name of peers) {
    const r = await runCli(['create', name, '--runtime', 'fake', '--description', `${name} the tester`], sb.env);
    if (r.code !== 0) throw new Error(`iapeer create ${name} failed: ${r.stderr}`);
  }
  const clients: Client[] = [];
  return {
    sb,
    stack,
    clients,
    async stop() {
      for (const c of clients.splice(0)) await c.close().catch(() => undefined); // already closed by a test: fine
      await runCli(['stop', '--all'], sb.env).catch(() => undefined); // services may be down in a failed run
      await stack.stop();
      sb.cleanup();
    },
  };
}

/** The MCP URL the router advertises in state/iapeer/router.json (IAPEER_PORT=0 → a free port). */
export function mcpUrl(sb: Sandbox): string {
  const discovery = JSON.parse(fs.readFileSync(sb.paths.routerJson, 'utf8')) as { tcp: string | null };
  if (!discovery.tcp) throw new Error('router.json has no MCP URL');
  return discovery.tcp;
}

/** An MCP SDK client over Streamable HTTP that sends `headers` on every request. */
export async function connectMcp(rs: RouterStack, headers: Record<string, string>, url = mcpUrl(rs.sb)): Promise<Client> {
  const client = new Client({ name: 'iapeer-e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  rs.clients.push(client);
  return client;
}

export async function callSend(client: Client, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name: 'send_to_peer', arguments: args })) as CallToolResult;
}

export const toolText = (r: CallToolResult): string => (r.content[0] as { text: string }).text;

export const peerCwd = (sb: Sandbox, personality: string): string => path.join(sb.paths.peersDir, personality);

/** The texts the fake agent of `personality` submitted (its transcript.jsonl). */
export function messagesOf(sb: Sandbox, personality: string): string[] {
  return readFakeTranscript(peerCwd(sb, personality))
    .filter((r) => r.type === 'message')
    .map((r) => r.text ?? '');
}

/** How many submitted messages carry `marker` (the envelope holds the body verbatim in CDATA). */
export const landedCount = (sb: Sandbox, personality: string, marker: string): number => messagesOf(sb, personality).filter((m) => m.includes(marker)).length;

/** delivery.log as `iapeer logs delivery` prints it, parsed (the real CLI → logd path). */
export async function deliveryLog(sb: Sandbox): Promise<Record<string, string>[]> {
  const r = await runCli(['logs', 'delivery', '-n', '5000'], sb.env);
  if (r.code !== 0) throw new Error(`iapeer logs delivery failed: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean).map(parseLogfmt);
}

/**
 * Polls delivery.log until a line after the first `skip` lines matches; logd writes
 * asynchronously (the router's event client buffers). Returns the lines read then too.
 */
export async function waitForDeliveryLine(
  sb: Sandbox,
  match: (line: Record<string, string>) => boolean,
  what: string,
  skip = 0,
): Promise<{ line: Record<string, string>; lines: Record<string, string>[] }> {
  return waitFor(
    async () => {
      const lines = await deliveryLog(sb);
      const line = lines.slice(skip).find(match);
      return line ? { line, lines } : undefined;
    },
    `a delivery.log line: ${what}`,
    15_000,
    100,
  );
}

/** The ev=wake lines of lifecycle.log (a decision line, then its outcome line), of one identity or all. */
export async function wakeLines(sb: Sandbox, identity?: string): Promise<Record<string, string>[]> {
  const r = await runCli(['logs', 'lifecycle', '--ev', 'wake', '-n', '5000'], sb.env);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map(parseLogfmt)
    .filter((l) => identity === undefined || l.identity === identity);
}

/** Sessions the supervisor actually started for `identity` (ev=wake … outcome=ready). */
export async function sessionsStarted(sb: Sandbox, identity: string): Promise<number> {
  return (await wakeLines(sb, identity)).filter((l) => l.outcome === 'ready').length;
}

/**
 * Everything under IAPEER_ROOT a send could change — peer folders (transcripts),
 * lifecycle markers, tmux sockets, registry, router state — except logs/ (a refusal
 * writes its delivery.log line there by design). Files are compared by size and mtime.
 */
export function snapshotRoot(sb: Sandbox): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (full === sb.paths.logsDir) continue;
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const st = fs.statSync(full);
        out.set(full, `${st.size}@${st.mtimeMs}`);
      } else out.set(full, 'special'); // sockets: existence is what a wake would change
    }
  };
  walk(sb.root);
  return out;
}

/** Starts a peer's session without a message (a bare bring-up through the supervisor). */
export async function bringUp(rs: RouterStack, personality: string): Promise<void> {
  const supervisor = rs.stack.client('supervisor');
  try {
    const r = await supervisor.client.wake.mutate({ personality, origin: 'cli' });
    if (r.status !== 'READY') throw new Error(`bring-up of ${personality} failed: ${JSON.stringify(r)}`);
  } finally {
    supervisor.close();
  }
}
