import type { Command } from 'commander';
import type { Drift } from '@iapeer/contracts';
import type { CliIO } from '../io';
import { withRegistry } from '../peers/registry-client';

const describeDrift = (d: Drift) =>
  `  ${d.personality}: ${d.kind}${d.fields ? ` (${d.fields.join(', ')})` : ''}${d.detail ? ` — ${d.detail}` : ''} at ${d.cwd}`;

export function registerVerify(program: Command, io: CliIO): void {
  program
    .command('verify')
    .description('compare the registry with the peers\' own profiles; --fix rebuilds the registry from them (exit 1 on drift left)')
    .option('--json', 'print the report as JSON')
    .option('--fix', 'rebuild the registry from the profiles (a corrupt file is backed up first)')
    .action(async (opts: { json?: boolean; fix?: boolean }) => {
      await withRegistry(io, async (registry) => {
        const report = await registry.verify.query();
        const fix = opts.fix && !report.ok ? await registry.reindex.mutate() : null;
        if (opts.json) {
          io.out(JSON.stringify(fix ? { ...report, fix } : report, null, 2));
        } else {
          if (report.corrupt) io.out(`registry file corrupt: ${report.corrupt.path}: ${report.corrupt.reason}`);
          for (const d of report.drift) io.out(describeDrift(d));
          if (report.ok) io.out(`registry and profiles agree (${report.peers} peers)`);
          if (fix) {
            if (fix.backup) io.out(`saved the corrupt file as ${fix.backup}`);
            const part = (label: string, names: string[]) => (names.length ? `${label} ${names.join(', ')}` : '');
            const parts = [part('added', fix.added), part('updated', fix.updated), part('removed', fix.removed), part('kept (no profile)', fix.kept)].filter(Boolean);
            io.out(`rebuilt from profiles: ${parts.join('; ') || 'nothing to change'}`);
          }
        }
        // fixed: only drift a rebuild cannot settle (a bad or missing profile) leaves exit 1
        const left = fix ? fix.drift.filter((d) => d.kind === 'invalid-profile' || d.kind === 'duplicate-profile') : report.drift;
        if ((!fix && report.corrupt) || left.length) process.exitCode = 1;
      });
    });
}
