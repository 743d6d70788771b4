import type { Command } from 'commander';
import type { CliIO } from '../io';
import { tmuxLiveness } from '../peers/liveness';
import { withRegistry } from '../peers/registry-client';
import { describePeer, formatRow, type ActivityOf } from '../peers/runtime-status';
import fs from 'node:fs';
import { serviceClient } from '../services';
import { listFleet } from '../fleet/list-fleet';

export function registerList(program: Command, io: CliIO): void {
  program
    .command('list')
    .description('one row per registered peer with each runtime\'s state: ● live (ready, busy, waiting, held, booting, dead, unknown), ○ asleep, ✕ stopped')
    .option('--json', 'print the rows as JSON')
    .option('--fleet', 'every host of the fleet and its peers (the bridge\'s roster; docs/fleet.md)')
    .action(async (opts: { json?: boolean; fleet?: boolean }) => {
      if (opts.fleet) return listFleet(io, Boolean(opts.json));
      await withRegistry(io, async (registry, paths) => {
        const listed = await registry.list.query();
        if (listed.corrupt) io.err(`warning: ${listed.corrupt.path} is corrupt (${listed.corrupt.reason}); showing what could be read — restore it, or rebuild it with \`iapeer verify --fix\``);
        const liveness = tmuxLiveness(paths, io.env);
        // a live session's activity is the supervisor's (§6.4); without one, rows show liveness only
        const sup = fs.existsSync(paths.serviceSocket('supervisor')) ? serviceClient(paths, 'supervisor', 500) : null;
        let reachable = sup !== null;
        const activityOf: ActivityOf = async (identity) => {
          if (!reachable) return undefined;
          try {
            return (await sup!.client.activity.query({ identity })).state;
          } catch {
            reachable = false;
            return undefined;
          }
        };
        let rows;
        try {
          rows = await Promise.all(listed.peers.map((p) => describePeer(p, paths, liveness, activityOf)));
        } finally {
          sup?.close();
        }
        if (opts.json) return io.out(JSON.stringify(rows, null, 2));
        if (rows.length === 0) return io.out('no peers registered');
        const width = Math.max(...rows.map((r) => r.personality.length));
        for (const row of rows) io.out(formatRow(row, width));
      });
    });
}
