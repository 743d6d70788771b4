import path from 'node:path';
import type { Command } from 'commander';
import type { CliIO } from '../io';
import { enrolPeer } from '../peers/enrol';
import { withRegistry } from '../peers/registry-client';
import { resolveInitRuntime } from '../peers/resolve-runtime';

export function registerInit(program: Command, io: CliIO): void {
  program
    .command('init [cwd]')
    .description('make a folder (default: the current one) a peer: profile, .iapeer/ scaffold, registry record, and for claude peers .mcp.json')
    .option('--runtime <runtime>', 'the default runtime (claude, codex, …)')
    .option('--description <text>', 'what this peer does (at most 450 characters)')
    .action(async (cwdArg: string | undefined, opts: { runtime?: string; description?: string }) => {
      const cwd = path.resolve(io.cwd, cwdArg ?? '.');
      await withRegistry(io, async (registry, paths) => {
        const r = await enrolPeer(io, registry, paths, { cwd, runtime: opts.runtime ?? resolveInitRuntime(cwd, io.env), description: opts.description });
        io.out(`${r.created ? 'initialised' : 'updated'} peer "${r.peer.personality}" (${r.peer.runtimes.join(', ')}) at ${r.peer.cwd}`);
      });
    });
}
