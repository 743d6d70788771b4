// The iapeer CLI entry: run one verb (run-cli prints any failure) and exit with its code.
import { endQuietlyOnClosedPipe, processIO } from './io';
import { runCli } from './run-cli';

async function main(): Promise<void> {
  endQuietlyOnClosedPipe();
  process.exitCode = await runCli(processIO(), process.argv.slice(2));
}

void main();
