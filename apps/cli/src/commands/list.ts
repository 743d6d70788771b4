import type { Command } from 'commander';
import type { CliIO } from '../io';
import { tmuxLiveness } from '../peers/liveness';
import { withRegistry } from '../peers/registry-client';
import { describePeer, formatRow } from '../peers/runtime-status';

export function registerList(program: Command, io: CliIO): void {
  program
    .command('list')
    .description('one row per registered peer with each runtime\'s state: ● live, ○ asleep, ✕ stopped')
    .option('--json', 'print the rows as JSON')
    .action(async (opts: { json?: boolean }) => {
      await withRegistry(io, async (registry, paths) => {
        const listed = await registry.list.query();
        if (listed.corrupt) io.err(`warning: ${listed.corrupt.path} is corrupt (${listed.corrupt.reason}); showing what could be read — restore it, or rebuild it with \`iapeer verify --fix\``);
        const liveness = tmuxLiveness(paths, io.env);
        const rows = await Promise.all(listed.peers.map((p) => describePeer(p, paths, liveness)));
        if (opts.json) return io.out(JSON.stringify(rows, null, 2));
        if (rows.length === 0) return io.out('no peers registered');
        const width = Math.max(...rows.map((r) => r.personality.length));
        for (const row of rows) io.out(formatRow(row, width));
      });
    });
}
