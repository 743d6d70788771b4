import type { Command } from 'commander';
import { parseIdentity } from '@iapeer/core';
import { CliError } from '../cli-error';
import type { CliIO } from '../io';
import { assertSessionIdentity } from '../send/resolve-identity';
import { supervisorClient } from '../lifecycle/supervisor';

/** The agent's self-call (§10): `.new-eager` first, then the supervisor kills this very session. */
export function registerSelfFresh(program: Command, io: CliIO): void {
  program
    .command('self-fresh')
    .description("(agent self-call) restart my own session fresh: the supervisor relaunches it with the initial_prompt on its next tick")
    .action(async () => {
      const identity = io.env.PEER_IDENTITY;
      if (!identity) throw new CliError('PEER_IDENTITY is not set — run this from inside a peer session', 1);
      if (!parseIdentity(identity)) throw new CliError(`PEER_IDENTITY ${JSON.stringify(identity)} is invalid — expected <runtime>-<personality>, e.g. claude-bob`, 1);
      assertSessionIdentity(io.env);
      const { client, close } = supervisorClient(io);
      try {
        await client.markFresh.mutate({ identity });
        io.out(`self-fresh: marked ${identity} for eager fresh re-launch; self-killing session`);
      } finally {
        close();
      }
    });
}
