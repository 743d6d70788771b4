import type { Command } from 'commander';
import { formatIdentity } from '@iapeer/core';
import type { CliIO } from '../io';
import { tmuxLiveness } from '../peers/liveness';
import { purgeIdentityState } from '../peers/purge-state';
import { withRegistry } from '../peers/registry-client';

export function registerRemove(program: Command, io: CliIO): void {
  program
    .command('remove <peer>')
    .description('unregister a peer and purge its lifecycle state; refuses a live peer unless --force; never deletes its folder')
    .option('--force', 'remove even when a session is live')
    .action(async (name: string, opts: { force?: boolean }) => {
      await withRegistry(io, async (registry, paths) => {
        const peer = await registry.get.query({ personality: name });
        if (!peer) return io.out(`"${name}" not registered — no-op`);
        const liveness = tmuxLiveness(paths, io.env);
        const live: string[] = [];
        for (const runtime of peer.runtimes) if (await liveness.isLive(formatIdentity({ runtime, personality: name }))) live.push(runtime);
        if (live.length && !opts.force) {
          io.err(`remove: "${name}" is LIVE on ${live.join(', ')} — removing it would orphan a running session; stop it first (\`iapeer stop ${name}\`) or pass --force`);
          process.exitCode = 1;
          return;
        }
        const r = await registry.remove.mutate({ personality: name });
        // purge even when a concurrent remove won the race: the name must inherit nothing
        purgeIdentityState(paths, name);
        io.out(r.removed ? `removed "${name}" from the registry` : `"${name}" not registered — no-op`);
      });
    });
}
