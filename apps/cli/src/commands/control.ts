import type { Command } from 'commander';
import { errorMessage, resolvePaths } from '@iapeer/core';
import { CliError } from '../cli-error';
import type { CliIO } from '../io';
import { serviceClient } from '../services';

type ControlVerb = 'interrupt' | 'compact';

const DESCRIPTIONS: Record<ControlVerb, string> = {
  interrupt: "send Escape to a peer's live session (stops its current turn)",
  compact: "type /compact and Enter into a peer's session (a parked peer is resumed first) and wait until the compaction is done",
};

function registerControl(verb: ControlVerb, program: Command, io: CliIO): void {
  program
    .command(`${verb} <peer> [runtime]`)
    .description(DESCRIPTIONS[verb])
    .action(async (peer: string, runtime: string | undefined) => {
      const { client, close } = serviceClient(resolvePaths(io.env), 'router');
      try {
        const r = await client.control.mutate({ personality: peer, command: verb, ...(runtime !== undefined && { runtime }) });
        io.out(`${verb} → ${r.controlled.personality} (${r.controlled.runtime})${r.resumed ? ' after resume' : ''}${r.compacted === 'unconfirmed' ? ' — sent; done not confirmed (the runtime keeps no transcript iapeer can read)' : ''}`);
      } catch (err) {
        throw new CliError(errorMessage(err), 1);
      } finally {
        close();
      }
    });
}

/** `iapeer interrupt <peer> [runtime]` (docs/behaviour.md §10, §6.5). */
export const registerInterrupt = (program: Command, io: CliIO) => registerControl('interrupt', program, io);
/** `iapeer compact <peer> [runtime]` (docs/behaviour.md §10, §6.5): done-gated, resumes a parked peer first. */
export const registerCompact = (program: Command, io: CliIO) => registerControl('compact', program, io);
