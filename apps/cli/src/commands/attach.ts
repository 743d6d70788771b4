import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { Command } from 'commander';
import { resolvePaths } from '@iapeer/core';
import { CliError } from '../cli-error';
import type { CliIO } from '../io';
import { supervisorClient, wakeWithProgress } from '../lifecycle/supervisor';

/** The runtime to attach: explicit, else the last-active one, else the default (listed first). */
export function pickAttachRuntime(rows: Array<{ runtime: string; lastActivityMs: number | null }>, explicit?: string): string | undefined {
  if (explicit) return explicit;
  const active = rows.filter((r) => r.lastActivityMs !== null).sort((a, b) => (b.lastActivityMs ?? 0) - (a.lastActivityMs ?? 0));
  return active[0]?.runtime ?? rows[0]?.runtime;
}

/** `tmux -S <sock> attach -t <id>` with TMUX unset; returns tmux's exit code. */
export function attachTmux(io: CliIO, identity: string): number {
  const env = { ...io.env };
  delete env.TMUX;
  const socket = resolvePaths(io.env).tmuxSocket(identity);
  // tmux exits 0 after "error creating <socket>" when the server is gone: say so instead
  if (!fs.existsSync(socket)) throw new CliError(`attach: ${identity} is not live (no tmux server at ${socket})`, 1);
  const r = spawnSync('tmux', ['-S', socket, 'attach', '-t', `=${identity}`], { stdio: 'inherit', env });
  return r.status ?? 1;
}

export function registerAttach(program: Command, io: CliIO): void {
  program
    .command('attach')
    .description("attach to a peer's session; an asleep peer is woken with resume first (fails loudly when there is nothing to resume)")
    .argument('<peer>')
    .argument('[runtime]')
    .action(async (peer: string, explicit: string | undefined) => {
      const { client, close } = supervisorClient(io);
      let rows;
      try {
        rows = await client.state.query({ personality: peer });
      } finally {
        close();
      }
      const runtime = pickAttachRuntime(rows, explicit);
      const row = rows.find((r) => r.runtime === runtime);
      if (!runtime || !row) throw new CliError(`attach: "${peer}" has no runtime to attach to`, 1);
      // Without a terminal tmux can only fail ("open terminal failed"), after the wake had
      // already changed things; refuse first, change nothing, and say what works instead.
      if (io.stdinIsTTY === false) {
        throw new CliError(`attach: needs a terminal (stdin is not a TTY); nothing was woken. Run it from a terminal, or from a script: tmux -S ${resolvePaths(io.env).tmuxSocket(row.identity)} attach -t =${row.identity}`, 1);
      }
      let woke = false;
      if (row.status !== 'live') {
        const r = await wakeWithProgress(io, { personality: peer, runtime, task: '', resume: true, origin: 'attach' }, `attach ${row.identity}`);
        if (r.status === 'FAILED') throw new CliError(`attach: ${r.reason}`, 1);
        woke = r.woke;
      }
      io.out(`${woke ? 'woke + ' : ''}attaching ${row.identity}…`);
      process.exitCode = attachTmux(io, row.identity);
    });
}
