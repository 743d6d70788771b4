/**
 * `npm run bench -- send [--quick]`: end-to-end latency of a send into a live fake agent
 * through the real stack (registry, supervisor, router, logd from dist/, real tmux), and
 * where the time goes. Measured in the same run, samples interleaved (rotating order) so
 * every series sees the same machine load:
 *   - baseline: the bare verified delivery (libs/runtimes `deliver`, §6.3) of the same
 *     envelope into the same live session, called in this process;
 *   - `send_to_peer` over MCP Streamable HTTP (the SDK's client, identity header);
 *   - tRPC `send` over the router's Unix socket (what `iapeer send` uses);
 *   - the RPC hops alone: a registry `get` over its socket, the tmux liveness probe, and the
 *     router's MCP surface + send pipeline with in-memory ports (no tmux, no registry);
 *   - `iapeer send` from process start (spawn → exit), against `iapeer --version` (the
 *     CLI's start-up floor).
 * The run fails unless every message landed exactly once in the agent's transcript.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { encodeEnvelope } from '@iapeer/codec';
import { loadConfig } from '@iapeer/core';
import { deliver, loadRuntimes, type RuntimeAdapter } from '@iapeer/runtimes';
import { CLI_BIN, installFakeRuntime, makeSandbox, readFakeTranscript, runCli, TestStack } from '@iapeer/testing';
import { createTmuxDriver } from '@iapeer/tmux';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { FakeWorld } from '../../apps/router/src/testing/in-memory-ports';
import { seedWorld } from '../../apps/router/src/testing/send-helpers';
import { startTestRouter } from '../../apps/router/src/testing/start-test-router';
import { isQuick, repoRoot, summarize, writeResult } from '../lib/result';

const N = isQuick() ? 40 : 300;
const WARMUP = isQuick() ? 5 : 20;
const CLI_N = isQuick() ? 15 : 80;

type Series = Record<string, number[]>;
const round = (x: number) => Math.round(x * 1000) / 1000;
const p50 = (xs: number[]) => summarize(xs).p50;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** Runs each step once per iteration, in a rotating order, and keeps samples after the warm-up. */
async function interleave(n: number, warmup: number, steps: Record<string, (i: number) => Promise<unknown>>): Promise<Series> {
  const names = Object.keys(steps);
  const out: Series = Object.fromEntries(names.map((k) => [k, []]));
  for (let i = 0; i < warmup + n; i++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length];
      const ms = await timed(() => steps[name](i));
      if (i >= warmup) out[name].push(ms);
    }
  }
  return out;
}

/** Wall time of one CLI process from spawn to exit (what a script calling `iapeer send` waits). */
function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(process.execPath, [CLI_BIN, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    child.once('exit', (code) => (code === 0 ? resolve(performance.now() - t) : reject(new Error(`iapeer ${args[0]} exited ${code}: ${err}`))));
  });
}

/** The router's own cost over MCP with in-memory ports: HTTP + SDK + pipeline, no tmux, no registry. */
async function measureRouterOnly(n: number): Promise<number[]> {
  const world = new FakeWorld();
  seedWorld(world);
  world.live.add('claude-alice');
  // header-only: in token mode every call here would be refused (no session token) and time the refusal
  const router = await startTestRouter(world, { env: { IAPEER_MCP_IDENTITY: 'header-only' } });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(router.discovery.tcp!), { requestInit: { headers: { 'X-IAPeer-Identity': 'claude-boris' } } }));
  try {
    const s = await interleave(n, WARMUP, {
      mcp: async (i) => {
        const r = await client.callTool({ name: 'send_to_peer', arguments: { personality: 'alice', message: `r${i}` } });
        if (r.isError) throw new Error(`in-memory send_to_peer failed: ${JSON.stringify(r.content)}`);
      },
    });
    return s.mcp;
  } finally {
    await client.close();
    await router.stop();
    router.sandbox.cleanup();
  }
}

async function main(): Promise<void> {
  const sb = makeSandbox({ IAPEER_SUPERVISE_INTERVAL_MS: '3600000', IAPEER_MCP_IDENTITY: 'header-only' });
  installFakeRuntime(sb, { agentPath: path.join(repoRoot(), 'libs/testing/fake-agent/agent.js') });
  const stack = new TestStack(sb);
  const tmux = createTmuxDriver({ sockDir: sb.paths.sockDir, baseEnv: sb.env });
  const spawnTmux = createTmuxDriver({ sockDir: sb.paths.sockDir, baseEnv: sb.env, control: false });
  try {
    await stack.start();
    for (const name of ['alice', 'bob']) {
      const r = await runCli(['create', name, '--runtime', 'fake'], sb.env);
      if (r.code !== 0) throw new Error(`create ${name}: ${r.stderr}`);
    }
    const supervisor = stack.client('supervisor');
    const up = await supervisor.client.wake.mutate({ personality: 'bob', origin: 'cli' });
    if (up.status !== 'READY') throw new Error(`bring-up of bob failed: ${JSON.stringify(up)}`);

    const cwd = path.join(sb.paths.peersDir, 'bob');
    const adapter = loadRuntimes({ paths: sb.paths, env: sb.env }).adapters.get('fake') as RuntimeAdapter;
    const cfg = loadConfig(sb.env);
    const paneLog = path.join(sb.paths.paneLogDir, 'fake-bob.log');
    const router = stack.client('router');
    const registry = stack.client('registry');
    const url = JSON.parse(fs.readFileSync(sb.paths.routerJson, 'utf8')).tcp as string;
    const mcp = new Client({ name: 'bench', version: '1' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { 'X-IAPeer-Identity': 'fake-alice' } } }));

    // the same envelope the router builds for alice → bob, so the bare delivery pastes the same bytes
    const envelope = (m: string) => encodeEnvelope({ fromPersonality: 'alice', fromRuntime: 'fake', fromIntelligence: 'artificial', message: m });
    const e2e = await interleave(N, WARMUP, {
      bare: (i) => deliver({ tmux, identity: 'fake-bob', adapter, text: envelope(`bare ${i}`), cfg, cwd, env: sb.env, paneLog }),
      mcp: async (i) => {
        const r = await mcp.callTool({ name: 'send_to_peer', arguments: { personality: 'bob', message: `mcp ${i}` } });
        if (r.isError) throw new Error(`send_to_peer failed: ${JSON.stringify(r.content)}`);
      },
      trpc: (i) => router.client.send.mutate({ from: 'fake-alice', personality: 'bob', message: `trpc ${i}` }),
    });
    const hops = await interleave(N, WARMUP, {
      registryGet: () => registry.client.get.query({ personality: 'bob' }),
      tmuxIsAlive: async () => {
        if (!(await tmux.isAlive('fake-bob'))) throw new Error('bob is not live');
      },
      tmuxIsAliveSpawnPath: () => spawnTmux.isAlive('fake-bob'),
    });
    const cli = { send: [] as number[], version: [] as number[] };
    for (let i = 0; i < CLI_N + 3; i++) {
      const send = await timeProcess(['send', 'bob', '--from', 'fake-alice', '--message', `cli ${i}`], sb.env);
      const version = await timeProcess(['--version'], sb.env);
      if (i < 3) continue;
      cli.send.push(send);
      cli.version.push(version);
    }
    await mcp.close();
    supervisor.close();

    const expected = 3 * (WARMUP + N) + CLI_N + 3;
    const landed = readFakeTranscript(cwd).filter((r) => r.type === 'message').length;
    if (landed !== expected) throw new Error(`bob's transcript holds ${landed} messages, expected ${expected}: a send was lost or duplicated`);

    const routerOnly = await measureRouterOnly(N);
    const paired = (k: string) => summarize(e2e[k].map((v, i) => v - e2e.bare[i])).p50;
    const s = (xs: number[]) => Object.fromEntries(Object.entries(summarize(xs)).map(([k, v]) => [k, round(v)]));
    const bare = p50(e2e.bare);
    const overMcp = p50(e2e.mcp);
    writeResult(
      'send',
      {
        metric: 'send_to_peer p50 over MCP HTTP into a live fake agent (real stack, verified delivery)',
        unit: 'ms',
        value: round(overMcp),
        baseline: round(bare),
        ratio: round(overMcp / bare),
        goal: 'MCP adds < 2 ms p50 over the bare verified delivery; live check < 0.5 ms p50',
      },
      {
        samples: { e2e: N, cli: CLI_N },
        landedExactlyOnce: landed,
        endToEnd: { bareDelivery: s(e2e.bare), mcpSendToPeer: s(e2e.mcp), trpcSend: s(e2e.trpc), cliSendFromProcessStart: s(cli.send) },
        addedOverBareP50: {
          mcp: round(overMcp - bare),
          trpc: round(p50(e2e.trpc) - bare),
          mcpPairedMedian: round(paired('mcp')),
          trpcPairedMedian: round(paired('trpc')),
          cliOverVersionFloor: round(p50(cli.send) - p50(cli.version)),
        },
        costSplitP50: {
          tmuxDelivery: round(bare),
          mcpTransportAndPipeline: round(p50(routerOnly)),
          registryGetEach: round(p50(hops.registryGet)),
          registryGetsPerSend: 2,
          tmuxLivenessProbe: round(p50(hops.tmuxIsAlive)),
          tmuxLivenessProbeSpawnPath: round(p50(hops.tmuxIsAliveSpawnPath)),
        },
        liveCheckP50Ms: round(p50(hops.tmuxIsAlive)),
        loadAvg: os.loadavg(),
        hops: { routerOnlyMcpInMemoryPorts: s(routerOnly), registryGet: s(hops.registryGet), tmuxIsAlive: s(hops.tmuxIsAlive), tmuxIsAliveSpawnPath: s(hops.tmuxIsAliveSpawnPath), cliVersionFloor: s(cli.version) },
      },
    );
    console.log(`bare ${round(bare)} ms, mcp ${round(overMcp)} ms (adds ${round(overMcp - bare)}, paired ${round(paired('mcp'))}), live check ${round(p50(hops.tmuxIsAlive))} ms (spawn path ${round(p50(hops.tmuxIsAliveSpawnPath))}); load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    router.close();
    registry.close();
  } finally {
    await runCli(['stop', '--all'], sb.env).catch(() => undefined); // best effort: the sessions are killed below too
    await tmux.kill('fake-bob').catch(() => undefined); // already stopped: fine
    await tmux.close();
    await stack.stop();
    sb.cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
