import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { assertPersonality, normalizeName } from '@iapeer/core';
import { CliError } from '../cli-error';
import type { CliIO } from '../io';
import { enrolPeer } from '../peers/enrol';
import { withRegistry } from '../peers/registry-client';
import { stripPeerEnv } from '../peers/resolve-runtime';
import { assertInfraJobWritable, isAlwaysOnRuntime } from '../infra/infra-job';
import { provisionInfraPeer } from '../infra/provision';

export function registerCreate(program: Command, io: CliIO): void {
  program
    .command('create <name>')
    .description('create a new peer in its own folder (default <root>/peers/<name>)')
    .option('--runtime <runtime>', 'the default runtime', 'claude')
    .option('--path <dir>', 'the folder to create the peer in (its name must normalize to <name>)')
    .option('--description <text>', 'what this peer does (at most 450 characters)')
    .option('--intelligence <kind>', 'artificial, natural or absent')
    .action(async (name: string, opts: { runtime: string; path?: string; description?: string; intelligence?: string }) => {
      // the creating session's own identity (PEER_*) must not leak into the new peer
      const env = stripPeerEnv(io.env);
      await withRegistry({ ...io, env }, async (registry, paths) => {
        const personality = assertPersonality(name);
        const cwd = opts.path ? path.resolve(io.cwd, opts.path) : path.join(paths.peersDir, personality);
        const derived = normalizeName(path.basename(cwd));
        if (derived !== personality) {
          throw new CliError(`the folder ${cwd} normalizes to "${derived}", not "${personality}"; personality and folder are 1:1 — pass a --path whose last part is "${personality}"`);
        }
        const alwaysOn = isAlwaysOnRuntime(opts.runtime);
        // the fleet guard first: a foreign job at the peer's label refuses before anything changes
        if (alwaysOn) assertInfraJobWritable(paths, env, personality);
        fs.mkdirSync(cwd, { recursive: true, mode: 0o700 });
        const r = await enrolPeer({ ...io, env }, registry, paths, {
          cwd,
          personality,
          runtime: opts.runtime,
          description: opts.description,
          intelligence: opts.intelligence,
        });
        io.out(`${r.created ? 'created' : 'updated'} peer "${r.peer.personality}" (${r.peer.runtimes.join(', ')}) at ${r.peer.cwd}`);
        if (alwaysOn) await provisionInfraPeer({ ...io, env }, paths, { personality: r.peer.personality, runtime: opts.runtime, cwd: r.peer.cwd });
      });
    });
}
