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
  const socket = assertAttachable(io, identity);
  const r = spawnSync('tmux', ['-S', socket, 'attach', '-t', `=${identity}`], { stdio: 'inherit', env });
  return r.status ?? 1;
}

/** The session's tmux socket; refuses when there is none. */
function assertAttachable(io: CliIO, identity: string): string {
  const socket = resolvePaths(io.env).tmuxSocket(identity);
  // tmux exits 0 after "error creating <socket>" when the server is gone: say so instead
  if (!fs.existsSync(socket)) throw new CliError(`${identity} is not live (no tmux server at ${socket})`, 1);
  return socket;
}

/**
 * attachTmux bracketed by `ev=attach` … `ev=attach-end` in the lifecycle log (§7.9): the
 * supervisor writes them (logs are logd's, the supervisor's decisions read them: a human
 * at the terminal). Best-effort: no supervisor means no lines, never a refused attach.
 */
export async function attachLogged(io: CliIO, identity: string): Promise<number> {
  assertAttachable(io, identity); // a refused attach logs nothing
  await attachEvent(io, { identity, phase: 'start' });
  const code = attachTmux(io, identity);
  await attachEvent(io, { identity, phase: 'end', code });
  return code;
}

async function attachEvent(io: CliIO, input: { identity: string; phase: 'start' | 'end'; code?: number }): Promise<void> {
  const { client, close } = supervisorClient(io);
  try {
    await client.attachEvent.mutate(input);
  } catch {
    // no supervisor: the attach itself still works
  } finally {
    close();
  }
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
      if (!runtime || !row) throw new CliError(`"${peer}" has no runtime to attach to`, 1);
      // Without a terminal tmux can only fail ("open terminal failed"), after the wake had
      // already changed things; refuse first, change nothing, and say what works instead.
      if (io.stdinIsTTY === false) {
        throw new CliError(`needs a terminal (stdin is not a TTY); nothing was woken. Run it from a terminal, or from a script: tmux -S ${resolvePaths(io.env).tmuxSocket(row.identity)} attach -t =${row.identity}`, 1);
      }
      let woke = false;
      if (row.status !== 'live') {
        const r = await wakeWithProgress(io, { personality: peer, runtime, task: '', resume: true, origin: 'attach' }, `attach ${row.identity}`);
        if (r.status === 'FAILED') throw new CliError(`${r.reason}`, 1);
        woke = r.woke;
      }
      io.out(`${woke ? 'woke + ' : ''}attaching ${row.identity}…`);
      process.exitCode = await attachLogged(io, row.identity);
    });
}
