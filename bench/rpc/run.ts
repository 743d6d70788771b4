// `npm run bench -- rpc [--quick]`: a trivial tRPC query over a Unix socket through
// libs/rpc (serve + connect, the NDJSON link) against a raw NDJSON round trip, and the
// stock httpLink over the standalone HTTP adapter for context. Client and server are
// separate processes, pinned with taskset (cross-core and same-core layouts). Mixed
// pairs (a libs/rpc client against the raw server and the reverse; the wire is the
// same) split the added time between the client and the server.
// The same bundle runs every role: `--role server|client|breakdown`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isQuick, writeResult } from '../lib/result';
import { hasTaskset, pinned } from '../lib/pin';
import { runBreakdown } from './breakdown';
import { measure, type ClientFigures, type Plan } from './measure';
import { openCaller, startServer, type Mode } from './modes';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
};

interface Layout {
  name: 'crossCore' | 'sameCore' | 'unpinned';
  server?: number;
  client?: number;
}

/** client mode → server mode, and the name the result file uses for the pair. */
const PAIRS: { name: string; label: string; client: Mode; server: Mode }[] = [
  { name: 'raw', label: 'raw NDJSON', client: 'raw', server: 'raw' },
  { name: 'trpc', label: 'tRPC libs/rpc', client: 'trpc', server: 'trpc' },
  { name: 'httpLink', label: 'tRPC httpLink', client: 'http', server: 'http' },
  { name: 'trpcClientRawServer', label: 'rpc client→raw', client: 'trpc', server: 'raw' },
  { name: 'rawClientTrpcServer', label: 'raw client→rpc', client: 'raw', server: 'trpc' },
];

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
    child.once('exit', (code) => (code === 0 && !until ? resolve(out) : reject(new Error(`${args.join(' ')} exited with ${code} before it was ready`))));
  });
  const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
  return { child, ready, exited };
}

const lastJsonLine = <T>(out: string): T => JSON.parse(out.trim().split('\n').pop() as string) as T;

async function runPair(client: Mode, server: Mode, layout: Layout, plan: Plan): Promise<ClientFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iapb-'));
  const socketPath = path.join(dir, 's.sock');
  const srv = runSelf(layout.server, ['--role', 'server', '--mode', server, '--socket', socketPath], /ready\n/);
  try {
    await srv.ready;
    const cli = runSelf(layout.client, ['--role', 'client', '--mode', client, '--socket', socketPath, '--plan', JSON.stringify(plan)]);
    return lastJsonLine<ClientFigures>(await cli.ready);
  } finally {
    srv.child.kill('SIGTERM');
    await srv.exited;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;

function aggregate(rounds: ClientFigures[]) {
  return {
    p50Us: r1(median(rounds.map((f) => f.latencyUs.p50))),
    p99Us: r1(median(rounds.map((f) => f.latencyUs.p99))),
    callsPerSec: Math.round(median(rounds.map((f) => f.throughput.callsPerSec))),
    clientCpuUsPerCall: r1(median(rounds.map((f) => f.clientCpuUsPerCall))),
    rounds,
  };
}
type Aggregate = ReturnType<typeof aggregate>;

async function orchestrate(): Promise<void> {
  const quick = isQuick();
  const loadAvgAtStart = os.loadavg().map((l) => r2(l));
  const plan: Plan = quick ? { warmup: 1000, calls: 5000, concurrency: 64, throughputMs: 1000 } : { warmup: 3000, calls: 20000, concurrency: 64, throughputMs: 3000 };
  const rounds = quick ? 1 : 3;
  const layouts: Layout[] = hasTaskset()
    ? [
        { name: 'crossCore', server: 1, client: 0 },
        { name: 'sameCore', server: 0, client: 0 },
      ]
    : [{ name: 'unpinned' }];

  const figures: Record<string, Record<string, unknown>> = {};
  for (const layout of layouts) {
    const runs = new Map<string, ClientFigures[]>(PAIRS.map((p) => [p.name, []]));
    for (let r = 0; r < rounds; r++) {
      // rotate the order so a drift in machine load does not favour one pair
      const order = [...PAIRS.slice(r % PAIRS.length), ...PAIRS.slice(0, r % PAIRS.length)];
      // httpLink is context only and ~10x slower: fewer calls in a quick run
      for (const p of order) runs.get(p.name)?.push(await runPair(p.client, p.server, layout, quick && p.client === 'http' ? { ...plan, warmup: 500, calls: 2000 } : plan));
    }
    const agg = Object.fromEntries(PAIRS.map((p) => [p.name, aggregate(runs.get(p.name) ?? [])])) as Record<string, Aggregate>;
    const { raw, trpc, httpLink, trpcClientRawServer, rawClientTrpcServer } = agg;
    figures[layout.name] = {
      pin: layout.server === undefined ? 'none' : { server: `taskset -c ${layout.server}`, client: `taskset -c ${layout.client}` },
      ...agg,
      trpcVsRaw: { ratio: r2(trpc.p50Us / raw.p50Us), addedUs: r1(trpc.p50Us - raw.p50Us), throughputRatio: r2(trpc.callsPerSec / raw.callsPerSec) },
      addedByClientUs: r1(trpcClientRawServer.p50Us - raw.p50Us),
      addedByServerUs: r1(rawClientTrpcServer.p50Us - raw.p50Us),
      httpLinkVsRaw: { ratio: r2(httpLink.p50Us / raw.p50Us), addedUs: r1(httpLink.p50Us - raw.p50Us) },
    };
    console.log(`${layout.name} (client ${layout.client ?? 'unpinned'}, server ${layout.server ?? 'unpinned'}):`);
    for (const p of PAIRS) {
      const f = agg[p.name];
      console.log(
        `  ${p.label.padEnd(15)} p50 ${String(f.p50Us).padStart(6)} µs  p99 ${String(f.p99Us).padStart(7)} µs  ${String(f.callsPerSec).padStart(7)} calls/s @${plan.concurrency}  client cpu ${f.clientCpuUsPerCall} µs/call`,
      );
    }
    console.log(`  tRPC/raw ${r2(trpc.p50Us / raw.p50Us)}x, +${r1(trpc.p50Us - raw.p50Us)} µs`);
  }

  const bd = runSelf(layouts[0].client, ['--role', 'breakdown', '--n', String(quick ? 20000 : 100000)]);
  const breakdown = lastJsonLine<Record<string, number>>(await bd.ready);
  console.log('in-process, no socket (µs per call):', JSON.stringify(breakdown));

  const head = figures[layouts[0].name] as { raw: Aggregate; trpc: Aggregate };
  writeResult(
    'rpc',
    {
      metric: `p50 of a trivial tRPC query over a Unix socket via libs/rpc (${layouts[0].name}), baseline raw NDJSON round trip`,
      unit: 'µs',
      value: head.trpc.p50Us,
      baseline: head.raw.p50Us,
      ratio: r2(head.trpc.p50Us / head.raw.p50Us),
      goal: 'p50 within 3x of raw NDJSON',
    },
    { loadAvgAtStart, plan: { ...plan, rounds, aggregate: 'median of the rounds' }, ...figures, breakdownUsPerCall: breakdown },
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
  } else {
    await orchestrate();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
