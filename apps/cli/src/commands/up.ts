import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { errorMessage, isIapeerError, loadConfig, resolvePaths } from '@iapeer/core';
import { assertPortFree } from '@iapeer/rpc';
import { assertPrivateStateDirs, assertSandboxAllows, ensureGlobalScaffold, ensureDir } from '@iapeer/storage';
import { CliError, errorLine } from '../cli-error';
import type { CliIO } from '../io';
import { waitHealthy, type ProbeResult } from '../up/health-probe';
import { isAlive, keeperDir, readKeeper } from '../up/pidfile';
import { readRefusal } from '../up/refusal';
import { rotateIfOver } from '../up/keep-small';
import { runKeeper } from '../up/run-keeper';

const START_DEADLINE_MS = 20_000;

export function printServices(io: CliIO, results: ProbeResult[]): void {
  for (const r of results) {
    if (r.up) io.out(`  ${r.name.padEnd(11)}${(r.health.ready ? 'ready' : 'starting').padEnd(10)}pid ${String(r.health.pid).padEnd(8)}${r.health.socket}`);
    else io.out(`  ${r.name.padEnd(11)}${'down'.padEnd(10)}${r.reason}`);
  }
}

export function registerUp(program: Command, io: CliIO): void {
  program
    .command('up')
    .description('start the five services (logd, registry, supervisor, router, console) and keep them running')
    .option('--foreground', 'stay attached: keep the services as children of this process until Ctrl-C')
    .action(async (opts: { foreground?: boolean }) => {
      const paths = resolvePaths(io.env);
      assertSandboxAllows(paths, io.env);
      // the services would refuse too, but only into their logs: say it here, with the fix
      assertPrivateStateDirs(paths);
      ensureGlobalScaffold(paths);
      const existing = readKeeper(paths);
      if (existing && isAlive(existing.pid)) {
        const results = await waitHealthy(paths, 2000, () => undefined);
        io.out(`iapeer is already up on ${paths.root} (keeper pid ${existing.pid})`);
        printServices(io, results);
        return;
      }
      // a taken MCP port is said now, with its holder and the fix, not after 20 s of restarts
      await assertMcpPortFree(io);
      if (opts.foreground) return runForeground(io, paths);

      ensureDir(keeperDir(paths));
      const logFile = path.join(keeperDir(paths), 'keeper.out');
      rotateIfOver(logFile);
      const out = fs.openSync(logFile, 'a', 0o600);
      const child = spawn(process.execPath, [process.argv[1], '__keeper'], {
        detached: true,
        stdio: ['ignore', out, out],
        env: { ...io.env, IAPEER_ROOT: paths.root },
      });
      fs.closeSync(out);
      let exited: string | undefined;
      child.once('exit', (code, sig) => (exited = `the keeper exited (${sig ?? `code ${code}`}); see ${logFile}`));
      child.unref();
      const spawnedAt = Date.now() - 1000; // keeper.events timestamps are ISO ms; allow for clock rounding
      let refused: string | undefined;
      const results = await waitHealthy(paths, START_DEADLINE_MS, () => exited ?? (refused = readRefusal(paths, spawnedAt)));
      const down = results.filter((r) => !r.up || !r.health.ready);
      if (refused) {
        // the other services would run on without it: stop the keeper we started, so nothing is left half up
        if (child.pid) process.kill(child.pid, 'SIGTERM');
        throw new CliError(refused, 1);
      }
      if (down.length > 0) {
        printServices(io, results);
        throw new CliError(`${down.map((d) => d.name).join(', ')} did not become healthy${exited ? `: ${exited}` : ` within ${START_DEADLINE_MS / 1000}s; see ${keeperDir(paths)}/*.out`}`);
      }
      io.out(`iapeer is up on ${paths.root} (keeper pid ${child.pid})`);
      printServices(io, results);
      io.out('stop with `iapeer down`; check with `iapeer status`');
    });

  program
    .command('__keeper', { hidden: true })
    .description('internal: the background process `iapeer up` leaves running')
    .action(async () => {
      const paths = resolvePaths(io.env);
      const { stop } = runKeeper(paths, io.env);
      await new Promise<void>((resolve) => {
        const onSignal = () => void stop().then(resolve);
        process.once('SIGTERM', onSignal);
        process.once('SIGINT', onSignal);
      });
    });
}

async function assertMcpPortFree(io: CliIO): Promise<void> {
  try {
    await assertPortFree(loadConfig(io.env).mcpPort);
  } catch (err) {
    throw new CliError(isIapeerError(err) ? `[${err.code}] ${err.message}` : errorMessage(err), 1);
  }
}

async function runForeground(io: CliIO, paths: ReturnType<typeof resolvePaths>): Promise<void> {
  const { stop } = runKeeper(paths, io.env, (e) => {
    if (e.ev === 'exited' && e.state !== 'stopped') io.err(errorLine('up', `${e.service} exited (${e.signal ?? `code ${e.code}`})`));
    if (e.ev === 'restarting') io.err(errorLine('up', `restarting ${e.service} in ${e.delayMs} ms (attempt ${e.attempt})`));
    if (e.ev === 'gave-up') io.err(errorLine('up', `${e.service} crashed ${e.restarts} times in ${e.windowMs / 1000}s; not restarting it (crash loop). Fix it, then run \`iapeer up\` again`));
  });
  const results = await waitHealthy(paths, START_DEADLINE_MS, () => undefined);
  io.out(`iapeer is up on ${paths.root} (foreground, pid ${process.pid}); Ctrl-C stops it`);
  printServices(io, results);
  await new Promise<void>((resolve) => {
    const onSignal = () => void stop().then(resolve);
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
  io.out('iapeer: services stopped');
}
