import type { Command } from 'commander';
import type { CliIO } from '../io';
import { ownSessionIdentity } from '../send/resolve-identity';
import { supervisorClient } from '../lifecycle/supervisor';

/** The agent's self-call (§10): `.new-eager` first, then the supervisor kills this very session. */
export function registerSelfFresh(program: Command, io: CliIO): void {
  program
    .command('self-fresh')
    .description("(agent self-call) restart my own session fresh: the supervisor relaunches it with the initial_prompt on its next tick")
    .action(async () => {
      const identity = ownSessionIdentity(io.env);
      const { client, close } = supervisorClient(io);
      try {
        await client.markFresh.mutate({ identity });
        io.out(`self-fresh: marked ${identity} for eager fresh re-launch; self-killing session`);
      } finally {
        close();
      }
    });
}
