import type { Command } from 'commander';
import { CliError } from '../cli-error';
import type { CliIO } from '../io';
import { supervisorClient } from '../lifecycle/supervisor';
import { startProgress } from '../lifecycle/progress';

export function registerNew(program: Command, io: CliIO): void {
  program
    .command('new')
    .description('unconditional fresh restart: clear stop/park/eager markers, kill, launch fresh; exit 0 only when READY')
    .argument('<peer>')
    .argument('[runtime]')
    .action(async (peer: string, runtime: string | undefined) => {
      const { client, close } = supervisorClient(io);
      const progress = startProgress(io, `new ${peer}`);
      try {
        const r = await client.new.mutate({ personality: peer, ...(runtime ? { runtime } : {}) });
        progress.done();
        if (r.status === 'FAILED') throw new CliError(`${r.reason}`, 1);
        io.out(`launched ${r.identity} (fresh)`);
      } finally {
        progress.done();
        close();
      }
    });
}
