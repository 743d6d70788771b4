import type { Command } from 'commander';
import { CliError } from '../cli-error';
import type { CliIO } from '../io';
import { formatOpRow, supervisorClient } from '../lifecycle/supervisor';

interface SelectorOpts {
  all?: boolean;
}

/** `<peer> [runtime] | --all` → the selector the supervisor takes; a usage error (exit 2) otherwise. */
export function toSelector(verb: string, peer: string | undefined, runtime: string | undefined, opts: SelectorOpts) {
  if (Boolean(peer) === Boolean(opts.all)) throw new CliError(`name a peer or pass --all (not both)`, 2);
  return opts.all ? { all: true } : { personality: peer, ...(runtime ? { runtime } : {}) };
}

const REFUSED = new Set(['refused-foreign-launchd', 'failed']);

type SelectorVerb = 'stop' | 'start';

/** `stop` and `start` share their arguments, their output rows and their exit rule (1 on a refusal). */
function registerSelectorVerb(program: Command, io: CliIO, verb: SelectorVerb, description: string, allHelp: string): void {
  program
    .command(verb)
    .description(description)
    .argument('[peer]')
    .argument('[runtime]')
    .option('--all', allHelp)
    .action(async (peer: string | undefined, runtime: string | undefined, opts: SelectorOpts) => {
      const sel = toSelector(verb, peer, runtime, opts);
      const { client, close } = supervisorClient(io);
      try {
        const rows = await client[verb].mutate(sel);
        for (const r of rows) io.out(formatOpRow(r));
        if (rows.length === 0) io.out('no peers registered');
        if (rows.some((r) => REFUSED.has(r.outcome))) process.exitCode = 1;
      } finally {
        close();
      }
    });
}

export function registerStop(program: Command, io: CliIO): void {
  registerSelectorVerb(program, io, 'stop', 'durably stop a peer (every runtime, or one): park, kill, and refuse wakes until `iapeer start`', 'stop every registered peer');
}

export function registerStart(program: Command, io: CliIO): void {
  registerSelectorVerb(program, io, 'start', 'lift an operator stop (and the crash-loop guard); the next message wakes the peer', 'start every registered peer');
}

export function registerRefresh(program: Command, io: CliIO): void {
  program
    .command('refresh')
    .description('come up fresh on the next natural wake (e.g. after a doctrine change); router runtimes are skipped')
    .argument('[peer]')
    .argument('[runtime]')
    .option('--all', 'refresh every registered peer')
    .action(async (peer: string | undefined, runtime: string | undefined, opts: SelectorOpts) => {
      const sel = toSelector('refresh', peer, runtime, opts);
      const { client, close } = supervisorClient(io);
      try {
        for (const r of await client.refresh.mutate(sel)) io.out(formatOpRow(r, r.outcome === 'marked' ? 'fresh on next wake' : 'skipped (router runtime)'));
      } finally {
        close();
      }
    });
}
