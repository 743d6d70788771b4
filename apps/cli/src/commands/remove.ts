import type { Command } from 'commander';
import { formatIdentity, isInfraRuntime } from '@iapeer/core';
import { createTmuxDriver } from '@iapeer/tmux';
import type { CliIO } from '../io';
import { readInfraJobPresence, removeInfraJob } from '../infra/infra-job';
import { tmuxLiveness } from '../peers/liveness';
import { purgeIdentityState } from '../peers/purge-state';
import { withRegistry } from '../peers/registry-client';

export function registerRemove(program: Command, io: CliIO): void {
  program
    .command('remove <peer>')
    .description('unregister a peer and purge its lifecycle state; refuses a live peer unless --force; never deletes its folder')
    .option('--force', 'remove even when a session is live (a foreign service job at its label is then left in place)')
    .action(async (name: string, opts: { force?: boolean }) => {
      await withRegistry(io, async (registry, paths) => {
        const peer = await registry.get.query({ personality: name });
        if (!peer) return io.out(`"${name}" not registered — no-op`);
        const job = readInfraJobPresence(paths, name);
        if (job.state === 'foreign' && !opts.force) {
          io.err(`remove: "${name}" is held by a foreign service job (${job.reason}); pass --force to unregister it and leave that job alone`);
          process.exitCode = 1;
          return;
        }
        if (job.state === 'ours') {
          // §10 [0.4.21]: an always-on peer's own job goes first (stop, delete the file), then its session
          const r = await removeInfraJob(paths, io.env, name);
          if (r.state === 'removed') io.out(`removed always-on job ${r.job.label} (stop: ${r.stopped.outcome})`);
          const tmux = createTmuxDriver({ sockDir: paths.sockDir, baseEnv: io.env });
          for (const runtime of peer.runtimes.filter(isInfraRuntime)) await tmux.kill(formatIdentity({ runtime, personality: name }));
        }
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
