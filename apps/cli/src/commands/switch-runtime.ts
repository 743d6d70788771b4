import type { Command } from 'commander';
import type { CliIO } from '../io';
import { switchRuntime, type SwitchVerb } from '../runtimes/switch-runtime';

const HELP: Record<SwitchVerb, string> = {
  'add-runtime': 'declare another TUI runtime (claude, codex, a manifest runtime) for a peer or every peer; its default stays',
  'default-runtime': 'make a TUI runtime the default of a peer or every peer (declaring it when missing); live sessions keep running, the next wake uses it',
};

function registerSwitch(verb: SwitchVerb, program: Command, io: CliIO): void {
  program
    .command(`${verb} <runtime>`)
    .description(HELP[verb])
    .option('--peer <name>', 'the peer to change')
    .option('--all', 'every registered peer (always-on peers are skipped)')
    .action(async (runtime: string, opts: { peer?: string; all?: boolean }) => {
      const rows = await switchRuntime(io, verb, runtime, opts);
      for (const r of rows) io.out(`${r.personality}: ${r.detail}`);
      if (rows.length === 0) io.out('no peers registered');
      if (rows.some((r) => r.outcome === 'failed')) process.exitCode = 1;
    });
}

/** `iapeer add-runtime <rt> (--peer <p> | --all)` (docs/behaviour.md §10). */
export const registerAddRuntime = (program: Command, io: CliIO) => registerSwitch('add-runtime', program, io);
/** `iapeer default-runtime <rt> (--peer <p> | --all)` (docs/behaviour.md §10). */
export const registerDefaultRuntime = (program: Command, io: CliIO) => registerSwitch('default-runtime', program, io);
