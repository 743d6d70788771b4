import { errorMessage } from '@iapeer/core';
import { CliError } from './cli-error';
import { errorLine } from './cli-error';
import type { CliIO } from './io';
import { CommanderError, createProgram } from './program';

/**
 * Parse and run one verb, and turn its end into an exit code: the one place a failure is
 * printed (`iapeer <verb>: <message>`, docs/behaviour.md §10). Usage errors commander finds
 * are printed by the program's own error output (same prefix) and end in 2; a thrown
 * CliError ends in its code; anything else (a coded service error…) in 1. A verb that
 * reports a partial failure itself sets `process.exitCode`, which is read and restored,
 * so in-process callers (tests) see the code without the process keeping it.
 */
export async function runCli(io: CliIO, argv: readonly string[]): Promise<number> {
  let verb: string | undefined;
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await createProgram(io, (v) => (verb = v)).parseAsync(['node', 'iapeer', ...argv]);
    return Number(process.exitCode ?? 0);
  } catch (err) {
    // help and version are successes; anything else commander rejects is a usage error
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    io.err(errorLine(verb, errorMessage(err)));
    return err instanceof CliError ? err.exitCode : 1;
  } finally {
    process.exitCode = before;
  }
}
