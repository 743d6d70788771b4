/**
 * bench/trust — what the session-token check (issue 9) costs per MCP call.
 *   - headline: send_to_peer p50 over MCP HTTP in `token` mode vs `header-only` mode
 *     (the baseline, same run, alternating rounds so host load hits both alike), with
 *     in-memory ports: the difference is the token file read + sha256 + compare.
 *   - beside it: the two halves of the production verifier alone — verifySessionToken
 *     and the real tmux liveness probe (`has-session` on a live fake session's socket).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { resolvePaths } from '@iapeer/core';
import { createTmuxDriver } from '@iapeer/tmux';
import { mintSessionToken, verifySessionToken } from '@iapeer/tokens';
import { createTmuxSessionProbe } from '../../apps/router/src/adapters/tmux-terminal';
import { FakeWorld } from '../../apps/router/src/testing/in-memory-ports';
import { seedWorld } from '../../apps/router/src/testing/send-helpers';
import { startTestRouter, type TestRouter } from '../../apps/router/src/testing/start-test-router';
import { isQuick, summarize, writeResult } from '../lib/result';

const ROUNDS = isQuick() ? 4 : 10;
const PER_ROUND = isQuick() ? 100 : 300;
const WARMUP = 50;

async function timeEach(n: number, fn: (i: number) => Promise<unknown> | unknown, into: number[]): Promise<void> {
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn(i);
    into.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
}

async function mcpRouter(env: Record<string, string>): Promise<{ router: TestRouter; client: Client }> {
  const world = new FakeWorld();
  seedWorld(world);
  world.live.add('claude-alice');
  world.live.add('claude-boris');
  const router = await startTestRouter(world, { env });
  const token = mintSessionToken(router.sandbox.paths, 'claude-boris');
  const client = new Client({ name: 'bench-trust', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(router.discovery.tcp!), { requestInit: { headers: { 'X-IAPeer-Identity': 'claude-boris', 'X-IAPeer-Token': token } } }));
  return { router, client };
}

async function main(): Promise<void> {
  const token = await mcpRouter({});
  const open = await mcpRouter({ IAPEER_MCP_IDENTITY: 'header-only' });
  const send = (c: Client, i: number) =>
    c.callTool({ name: 'send_to_peer', arguments: { personality: 'alice', message: `b${i}` } }).then((r) => {
      if (r.isError) throw new Error(`bench send refused: ${JSON.stringify(r.content)}`);
    });
  await timeEach(WARMUP, (i) => send(token.client, i), []);
  await timeEach(WARMUP, (i) => send(open.client, i), []);
  const tokenSamples: number[] = [];
  const openSamples: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // alternate which goes first, so a load spike does not always hit the same mode
    const order = r % 2 === 0 ? [[token, tokenSamples], [open, openSamples]] : [[open, openSamples], [token, tokenSamples]];
    for (const [m, into] of order as [typeof token, number[]][]) await timeEach(PER_ROUND, (i) => send(m.client, r * PER_ROUND + i), into);
  }
  for (const m of [token, open]) {
    await m.client.close();
    await m.router.stop();
    m.router.sandbox.cleanup();
  }

  // the production verifier's two halves, alone
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-bench-trust-'));
  const env = { HOME: dir, IAPEER_ROOT: path.join(dir, 'root'), PATH: process.env.PATH ?? '' };
  const paths = resolvePaths(env);
  const minted = mintSessionToken(paths, 'fake-ada');
  const verifySamples: number[] = [];
  await timeEach(WARMUP, () => verifySessionToken(paths, 'fake-ada', minted), []);
  await timeEach(ROUNDS * PER_ROUND, () => verifySessionToken(paths, 'fake-ada', minted), verifySamples);
  const driver = createTmuxDriver({ sockDir: paths.sockDir, baseEnv: env });
  await driver.spawn({ identity: 'fake-ada', cwd: dir, argv: ['sleep', '600'], env, paneLog: path.join(paths.paneLogDir, 'fake-ada.log') });
  const probe = createTmuxSessionProbe(driver, paths.tmuxSocket);
  const liveSamples: number[] = [];
  try {
    await timeEach(20, () => probe.isLive('fake-ada'), []);
    await timeEach(isQuick() ? 100 : 300, () => probe.isLive('fake-ada'), liveSamples);
  } finally {
    await driver.kill('fake-ada');
    try {
      execFileSync('tmux', ['-S', paths.tmuxSocket('fake-ada'), 'kill-server'], { stdio: 'ignore' });
    } catch {
      // already gone: kill() above stopped it
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const tokenMode = summarize(tokenSamples);
  const headerOnly = summarize(openSamples);
  const verify = summarize(verifySamples);
  const isLive = summarize(liveSamples);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  writeResult(
    'trust',
    {
      metric: 'send_to_peer p50 over MCP HTTP in token mode (header-only = baseline, in-memory liveness)',
      unit: 'ms',
      value: round(tokenMode.p50),
      baseline: round(headerOnly.p50),
      ratio: round(tokenMode.p50 / headerOnly.p50),
      goal: 'the token check adds < 0.5 ms p50 (plus one tmux has-session in production)',
    },
    {
      rounds: ROUNDS,
      perRound: PER_ROUND,
      loadavg: os.loadavg(),
      tokenMode,
      headerOnly,
      addedMsP50: round(tokenMode.p50 - headerOnly.p50),
      verifySessionToken: verify,
      tmuxIsLive: isLive,
    },
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
