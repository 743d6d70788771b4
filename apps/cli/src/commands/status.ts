import type { Command } from 'commander';
import { resolvePaths } from '@iapeer/core';
import type { CliIO } from '../io';
import { probeAll } from '../up/health-probe';

const fmtUptime = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)}s` : ms < 3_600_000 ? `${Math.round(ms / 60_000)}m` : `${(ms / 3_600_000).toFixed(1)}h`);

export function registerStatus(program: Command, io: CliIO): void {
  program
    .command('status')
    .description("show each service's health; exit 1 when any is down")
    .option('--json', 'print one JSON object per service')
    .action(async (opts: { json?: boolean }) => {
      const paths = resolvePaths(io.env);
      const results = await probeAll(paths, 300);
      if (opts.json) {
        io.out(JSON.stringify({ root: paths.root, services: results }));
      } else {
        io.out(`iapeer on ${paths.root}`);
        for (const r of results) {
          if (r.up) io.out(`  ${r.name.padEnd(11)}${(r.health.ready ? 'up' : 'starting').padEnd(10)}pid ${String(r.health.pid).padEnd(8)}up ${fmtUptime(r.health.uptimeMs).padEnd(7)}v${r.health.version}`);
          else io.out(`  ${r.name.padEnd(11)}${'down'.padEnd(10)}${r.reason}`);
        }
      }
      if (results.some((r) => !r.up || !r.health.ready)) process.exitCode = 1;
    });
}
