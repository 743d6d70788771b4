/**
 * bench/send — SKELETON until libs/tmux + libs/runtimes are merged: measures the
 * router's own cost (caller check, validation, routeSend, log line) over each entry
 * point with in-memory ports (an in-memory terminal, no tmux):
 *   - baseline: handleSend called in-process (no transport)
 *   - tRPC `send` over the router's Unix socket
 *   - `send_to_peer` over MCP Streamable HTTP (SDK client, one connection)
 * At integration, add the bare verified tmux delivery as the baseline and a live
 * fake agent as the target (issue 7's headline), plus `iapeer send` from process start.
 */
import type { RouterServiceRouter } from '@iapeer/contracts';
import { connect } from '@iapeer/rpc';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { FakeWorld } from '../../apps/router/src/testing/in-memory-ports';
import { seedWorld, sendFrom } from '../../apps/router/src/testing/send-helpers';
import { startTestRouter } from '../../apps/router/src/testing/start-test-router';
import { mintSessionToken } from '@iapeer/tokens';
import { isQuick, summarize, writeResult } from '../lib/result';

const N = isQuick() ? 300 : 2000;
const WARMUP = 50;

async function time(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await fn(i);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn(i);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return samples;
}

async function main(): Promise<void> {
  const world = new FakeWorld();
  seedWorld(world);
  world.live.add('claude-alice');
  const deps = world.deps();
  const inProcess = summarize(await time(N, (i) => sendFrom(world, 'claude-boris', { personality: 'alice', message: `m${i}` }, deps)));

  const router = await startTestRouter(world);
  const rpc = connect<RouterServiceRouter>({ service: 'router', socketPath: router.discovery.sock });
  const trpc = summarize(await time(N, (i) => rpc.client.send.mutate({ from: 'claude-boris', personality: 'alice', message: `t${i}` })));

  // the default identity mode (issue 9): boris calls from his live session with its token
  world.live.add('claude-boris');
  const token = mintSessionToken(router.sandbox.paths, 'claude-boris');
  const mcp = new Client({ name: 'bench', version: '1' });
  await mcp.connect(new StreamableHTTPClientTransport(new URL(router.discovery.tcp!), { requestInit: { headers: { 'X-IAPeer-Identity': 'claude-boris', 'X-IAPeer-Token': token } } }));
  const overMcp = summarize(await time(N, (i) => mcp.callTool({ name: 'send_to_peer', arguments: { personality: 'alice', message: `h${i}` } })));

  await mcp.close();
  rpc.close();
  await router.stop();
  router.sandbox.cleanup();

  const round = (x: number) => Math.round(x * 1000) / 1000;
  writeResult(
    'send',
    {
      metric: 'send_to_peer p50 over MCP HTTP, in-memory terminal (router overhead only; tmux baseline at integration)',
      unit: 'ms',
      value: round(overMcp.p50),
      baseline: round(inProcess.p50),
      ratio: round(overMcp.p50 / inProcess.p50),
      goal: 'RPC hops add < 5 ms p50 on top of the tmux delivery',
    },
    { samples: N, inProcess, trpcSocket: trpc, mcpHttp: overMcp, addedMsP50: { trpc: round(trpc.p50 - inProcess.p50), mcp: round(overMcp.p50 - inProcess.p50) } },
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
