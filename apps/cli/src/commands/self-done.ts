import type { Command } from 'commander';
import { parseIdentity } from '@iapeer/core';
import type { CliIO } from '../io';
import { ownSessionIdentity } from '../send/resolve-identity';
import { supervisorClient } from '../lifecycle/supervisor';

/**
 * The ephemeral worker's self-call (§7.7, §10): `.ephemeral-armed` for its own session,
 * so the supervisor ends it once it has been quiet for IAPEER_EPHEMERAL_QUIET_SECS and
 * hands it the next queued message. For a peer that is not ephemeral the marker is still
 * set (it has no effect) and a warning says so; exit 0 either way.
 */
export function registerSelfDone(program: Command, io: CliIO): void {
  program
    .command('self-done')
    .description('(ephemeral worker self-call) my task is done: end my session once it is quiet, and take the next queued message')
    .action(async () => {
      const identity = ownSessionIdentity(io.env);
      const { client, close } = supervisorClient(io);
      try {
        const r = await client.arm.mutate({ identity, origin: 'self-done' });
        io.out(`self-done: ${identity} armed; the supervisor ends this session after ${r.quietSecs}s of quiet`);
        if (!r.ephemeral) {
          const personality = parseIdentity(identity)!.personality;
          io.err(`self-done: warning: "${personality}" is not an ephemeral peer (its profile has no wake_policy "ephemeral"), so nothing ends its session early`);
        }
      } finally {
        close();
      }
    });
}
