// The iapeer CLI entry: parse, run one verb, map failures to a message and an exit code.
import { errorMessage } from '@iapeer/core';
import { CliError } from './cli-error';
import { endQuietlyOnClosedPipe, processIO } from './io';
import { CommanderError, createProgram } from './program';

async function main(): Promise<void> {
  endQuietlyOnClosedPipe();
  const io = processIO();
  try {
    await createProgram(io).parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are successes; anything else commander rejects is a usage error
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    io.err(err instanceof CliError && err.verb ? `iapeer ${err.verb}: ${errorMessage(err)}` : `iapeer: ${errorMessage(err)}`);
    process.exitCode = err instanceof CliError ? err.exitCode : 1;
  }
}

void main();
