// `npm run bench -- rpc [--quick]`: a trivial tRPC query over a Unix socket through
// libs/rpc (serve + connect, the NDJSON link) against a raw NDJSON round trip, and the
// stock httpLink over the standalone HTTP adapter for context. Client and server are
// separate processes, pinned with taskset (cross-core and same-core layouts).
// The same bundle runs every role: `--role server|client|breakdown`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isQuick, writeResult } from '../lib/result';
import { hasTaskset, pinned } from '../lib/pin';
import { runBreakdown } from './breakdown';
import { measure, type ClientFigures, type Plan } from './measure';
import { MODES, openCaller, startServer, type Mode } from './modes';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
};

interface Layout {
  name: 'crossCore' | 'sameCore' | 'unpinned';
  server?: number;
  client?: number;
}

/** Runs this bundle in another process with `args`; resolves with its stdout once `until` matches (or it exits). */
function runSelf(core: number | undefined, args: string[], until?: RegExp) {
  const [cmd, argv] = pinned(core, process.execPath, [process.argv[1], ...args]);
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => {
      out += c;
      if (until?.test(out)) resolve(out);
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 || until ? resolve(out) : reject(new Error(`${args.join(' ')} exited with ${code}`))));
  });
  const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
  return { child, ready, exited };
}

async function runPair(mode: Mode, layout: Layout, plan: Plan, serverMode: Mode = mode): Promise<ClientFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iapb-'));
  const socketPath = path.join(dir, 's.sock');
  const server = runSelf(layout.server, ['--role', 'server', '--mode', serverMode, '--socket', socketPath], /ready\n/);
  try {
    await server.ready;
    const client = runSelf(layout.client, ['--role', 'client', '--mode', mode, '--socket', socketPath, '--plan', JSON.stringify(plan)]);
    const out = await client.ready;
    return JSON.parse(out.trim().split('\n').pop() as string) as ClientFigures;
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round1 = (x: number) => Math.round(x * 10) / 10;

async function orchestrate(): Promise<void> {
  const quick = isQuick();
  const plan: Plan = quick ? { warmup: 1000, calls: 5000, concurrency: 64, throughputMs: 1000 } : { warmup: 3000, calls: 20000, concurrency: 64, throughputMs: 3000 };
  const rounds = quick ? 1 : 3;
  const layouts: Layout[] = hasTaskset()
    ? [
        { name: 'crossCore', server: 1, client: 0 },
        { name: 'sameCore', server: 0, client: 0 },
      ]
    : [{ name: 'unpinned' }];

  const figures: Record<string, unknown> = {};
  for (const layout of layouts) {
    const runs: Record<Mode, ClientFigures[]> = { raw: [], trpc: [], http: [] };
    for (let r = 0; r < rounds; r++) {
      // rotate the order so a drift in machine load does not favour one mode
      const order = [...MODES.slice(r % MODES.length), ...MODES.slice(0, r % MODES.length)];
      for (const mode of order) runs[mode].push(await runPair(mode, layout, plan));
    }
    const agg = (mode: Mode) => ({
      p50Us: round1(median(runs[mode].map((f) => f.latencyUs.p50))),
      p99Us: round1(median(runs[mode].map((f) => f.latencyUs.p99))),
      callsPerSec: Math.round(median(runs[mode].map((f) => f.throughput.callsPerSec))),
      rounds: runs[mode],
    });
    const raw = agg('raw');
    const trpc = agg('trpc');
    const httpLink = agg('http');
    figures[layout.name] = {
      pin: layout.server === undefined ? 'none' : { server: `taskset -c ${layout.server}`, client: `taskset -c ${layout.client}` },
      raw,
      trpc,
      httpLink,
      trpcVsRaw: { ratio: round1((trpc.p50Us / raw.p50Us) * 100) / 100, addedUs: round1(trpc.p50Us - raw.p50Us), throughputRatio: round1((trpc.callsPerSec / raw.callsPerSec) * 100) / 100 },
      httpLinkVsRaw: { ratio: round1((httpLink.p50Us / raw.p50Us) * 100) / 100, addedUs: round1(httpLink.p50Us - raw.p50Us) },
    };
    console.log(`${layout.name}:`);
    for (const [name, f] of [['raw NDJSON', raw], ['tRPC libs/rpc', trpc], ['tRPC httpLink', httpLink]] as const) {
      console.log(`  ${name.padEnd(15)} p50 ${String(f.p50Us).padStart(6)} µs  p99 ${String(f.p99Us).padStart(6)} µs  ${String(f.callsPerSec).padStart(7)} calls/s @${plan.concurrency}`);
    }
  }

  const bd = runSelf(0, ['--role', 'breakdown', '--n', String(quick ? 20000 : 100000)]);
  const breakdown = JSON.parse((await bd.ready).trim().split('\n').pop() as string) as Record<string, number>;
  console.log('in-process breakdown (µs per call):', JSON.stringify(breakdown));

  const head = figures[layouts[0].name] as { raw: { p50Us: number }; trpc: { p50Us: number } };
  writeResult(
    'rpc',
    {
      metric: `p50 of a trivial tRPC query over a Unix socket via libs/rpc (${layouts[0].name}), baseline raw NDJSON round trip`,
      unit: 'µs',
      value: head.trpc.p50Us,
      baseline: head.raw.p50Us,
      ratio: round1((head.trpc.p50Us / head.raw.p50Us) * 100) / 100,
      goal: 'p50 within 3x of raw NDJSON',
    },
    { plan: { ...plan, rounds, aggregate: 'median of the rounds' }, ...figures, breakdownUsPerCall: breakdown },
  );
}

async function main(): Promise<void> {
  const role = arg('role');
  const mode = arg('mode') as Mode;
  const socketPath = arg('socket') as string;
  if (role === 'server') {
    await startServer(mode, socketPath);
    process.once('SIGTERM', () => process.exit(0));
    process.stdout.write('ready\n');
  } else if (role === 'client') {
    const caller = await openCaller(mode, socketPath);
    const figures = await measure(caller, JSON.parse(arg('plan') as string) as Plan);
    caller.close();
    process.stdout.write(JSON.stringify(figures) + '\n');
    process.exit(0);
  } else if (role === 'breakdown') {
    process.stdout.write(JSON.stringify(await runBreakdown(Number(arg('n')))) + '\n');
  } else if (role === 'pair') {
    const [c, s] = (arg('pair') as string).split(':') as [Mode, Mode];
    const plan: Plan = { warmup: 2000, calls: 10000, concurrency: 64, throughputMs: 1000 };
    const f = await runPair(c, { name: 'crossCore', server: 1, client: 0 }, plan, s);
    console.log(c, '->', s, 'p50', f.latencyUs.p50.toFixed(1), 'calls/s', Math.round(f.throughput.callsPerSec), 'client cpu/call', f.clientCpuUsPerCall.toFixed(1), 'wall/call', f.wallUsPerCall.toFixed(1));
  } else {
    await orchestrate();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
