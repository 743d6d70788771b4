import type { Command } from 'commander';
import { IAPEER_VERSION } from '@iapeer/core';
import type { CliIO } from '../io';

/** `iapeer version` (docs/behaviour.md §10): this CLI's version; needs no service. Same as `-V`. */
export function registerVersion(program: Command, io: CliIO): void {
  program
    .command('version')
    .description("print this iapeer's version (the services' own versions: `iapeer status`)")
    .option('--json', 'print {"version": "<v>"}')
    .action((opts: { json?: boolean }) => {
      io.out(opts.json ? JSON.stringify({ version: IAPEER_VERSION }) : `iapeer ${IAPEER_VERSION}`);
    });
}
