import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { SUPPORTED_LOCAL_RUNTIMES, isPersonality, isRuntime, normalizeName, resolvePaths, type Env } from '@iapeer/core';
import { peerProfileOrUndefined } from '@iapeer/profiles';
import { CliError } from '../cli-error';
import type { CliIO } from '../io';
import { wakeWithProgress } from '../lifecycle/supervisor';
import { attachLogged } from './attach';

/** A TUI runtime this host knows: built in, or declared by `<root>/runtimes/<name>/runtime.json`. */
export function isKnownRuntime(name: string, env: Env): boolean {
  if (!isRuntime(name)) return false;
  if ((SUPPORTED_LOCAL_RUNTIMES as readonly string[]).includes(name)) return true;
  return fs.existsSync(path.join(resolvePaths(env).runtimesDir, name, 'runtime.json'));
}

/** The cwd's peer: the local profile's personality, else the normalized folder name. */
export function folderPersonality(cwd: string): string {
  // no (readable) profile, or no valid name in it: the folder name is the peer name (§2.1)
  const p = peerProfileOrUndefined(cwd)?.personality;
  return isPersonality(p) ? p : normalizeName(path.basename(cwd));
}

/**
 * `iapeer <runtime>`: the folder launch, always fresh (§7.5 row 1). An unknown word is
 * an unknown verb (usage, exit 2), not a runtime.
 */
export function registerFolderLaunch(program: Command, io: CliIO): void {
  program.argument('[runtime]', 'launch the peer of this folder fresh in <runtime> (e.g. `iapeer claude`)').action(async (runtime: string | undefined) => {
    if (!runtime) {
      program.help();
      return;
    }
    if (!isKnownRuntime(runtime, io.env)) throw new CliError(`unknown command '${runtime}' (not a verb, and not a runtime: no runtimes/${runtime}/runtime.json)`, 2);
    const personality = folderPersonality(io.cwd);
    if (!isPersonality(personality)) throw new CliError(`the folder name does not make a valid peer name (${JSON.stringify(personality)}); create .iapeer/peer-profile.json explicitly`, 1);
    const r = await wakeWithProgress(io, { personality, runtime, task: '', resume: false, origin: 'folder-launch' }, `launch ${runtime}-${personality}`);
    if (r.status === 'FAILED') throw new CliError(`${r.reason}`, 1);
    io.out(`launched ${r.identity} (fresh)`);
    if (io.isTTY) process.exitCode = await attachLogged(io, r.identity);
  });
}
