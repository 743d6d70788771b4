import type { Command } from 'commander';
import type { PurgeResult } from '@iapeer/contracts';
import { formatIdentity, isInfraRuntime } from '@iapeer/core';
import { CliError } from '../cli-error';
import type { CliIO } from '../io';
import { readInfraJobPresence, removeInfraJob } from '../infra/infra-job';
import { supervisorClient } from '../lifecycle/supervisor';
import { tmuxLiveness } from '../peers/liveness';
import { withRegistry } from '../peers/registry-client';

/** One line for what the supervisor's purge did, or nothing when it found nothing. */
function purgeLine(r: PurgeResult): string | null {
  const parts = [
    ...(r.killed.length ? [`killed ${r.killed.join(', ')}`] : []),
    ...(r.removed.length ? [`removed ${r.removed.length} lifecycle file${r.removed.length === 1 ? '' : 's'}`] : []),
  ];
  return parts.length ? `purged "${r.personality}": ${parts.join('; ')}` : null;
}

/**
 * `remove` (§10): the CLI writes none of the files involved (docs/architecture.md, File
 * ownership). It asks the registry to unregister the peer, then the supervisor to kill
 * its sessions and purge its lifecycle state; only the always-on job file, which lives
 * outside the root and which the CLI itself installed, is removed here.
 */
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
          throw new CliError(`"${name}" is held by a foreign service job (${job.reason}); pass --force to unregister it and leave that job alone`);
        }
        const liveness = tmuxLiveness(paths, io.env);
        const live: string[] = [];
        // an always-on runtime held by our job is not an orphan: the job goes, then the purge ends it
        const held = (runtime: string) => job.state === 'ours' && isInfraRuntime(runtime);
        for (const runtime of peer.runtimes) if (!held(runtime) && (await liveness.isLive(formatIdentity({ runtime, personality: name })))) live.push(runtime);
        if (live.length && !opts.force) {
          throw new CliError(`"${name}" is LIVE on ${live.join(', ')} — removing it would orphan a running session; stop it first (\`iapeer stop ${name}\`) or pass --force`);
        }
        const supervisor = supervisorClient(io);
        try {
          // the supervisor must answer before anything changes: a peer unregistered with its
          // sessions still running and nobody left to purge them is the state remove avoids
          await supervisor.client.health.query();
          if (job.state === 'ours') {
            // §10 [0.4.21]: an always-on peer's own job goes first (stop, delete the file); the purge ends its session
            const r = await removeInfraJob(paths, io.env, name);
            if (r.state === 'removed') io.out(`removed always-on job ${r.job.label} (stop: ${r.stopped.outcome})`);
          }
          const r = await registry.remove.mutate({ personality: name });
          io.out(r.removed ? `removed "${name}" from the registry` : `"${name}" not registered — no-op`);
          // purge even when a concurrent remove won the race: the name must inherit nothing
          const line = purgeLine(await supervisor.client.purge.mutate({ personality: name }));
          if (line) io.out(line);
        } finally {
          supervisor.close();
        }
      });
    });
}
