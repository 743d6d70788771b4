import path from 'node:path';
import type { Command } from 'commander';
import type { CliIO } from '../io';
import { enrolPeer } from '../peers/enrol';
import { withRegistry } from '../peers/registry-client';
import { resolveInitRuntime } from '../peers/resolve-runtime';
import { assertInfraJobWritable, isAlwaysOnRuntime } from '../infra/infra-job';
import { provisionInfraPeer } from '../infra/provision';
import { folderPersonality } from './folder-launch';

export function registerInit(program: Command, io: CliIO): void {
  program
    .command('init [cwd]')
    .description('make a folder (default: the current one) a peer: profile, .iapeer/ scaffold, registry record, and for claude peers .mcp.json')
    .option('--runtime <runtime>', 'the default runtime (claude, codex, …)')
    .option('--description <text>', 'what this peer does (at most 450 characters)')
    .action(async (cwdArg: string | undefined, opts: { runtime?: string; description?: string }) => {
      const cwd = path.resolve(io.cwd, cwdArg ?? '.');
      await withRegistry(io, async (registry, paths) => {
        const runtime = opts.runtime ?? resolveInitRuntime(cwd, io.env);
        const alwaysOn = isAlwaysOnRuntime(runtime);
        // the fleet guard first: a foreign job at the peer's label refuses before anything changes
        if (alwaysOn) assertInfraJobWritable(paths, io.env, folderPersonality(cwd));
        const r = await enrolPeer(io, registry, paths, { cwd, runtime, description: opts.description });
        io.out(`${r.created ? 'initialised' : 'updated'} peer "${r.peer.personality}" (${r.peer.runtimes.join(', ')}) at ${r.peer.cwd}`);
        // re-running init in an always-on peer's folder (no --runtime) refreshes its job too
        const infraRuntime = alwaysOn ? runtime : isAlwaysOnRuntime(r.peer.default_runtime) ? r.peer.default_runtime : undefined;
        if (infraRuntime) await provisionInfraPeer(io, paths, { personality: r.peer.personality, runtime: infraRuntime, cwd: r.peer.cwd });
      });
    });
}
