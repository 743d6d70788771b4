import { IapeerError } from '@iapeer/core';
import type { TmuxDriver } from '@iapeer/tmux';
import type { RuntimeAdapter } from './adapter';
import { realClock, type Clock } from './clock';
import { describePeer } from './deliver';

export type ControlCommand = 'interrupt' | 'compact';

interface ControlArgs {
  tmux: TmuxDriver;
  identity: string;
  adapter: RuntimeAdapter;
}

async function assertControllable(args: ControlArgs, command: ControlCommand): Promise<void> {
  if (args.adapter.kind === 'router') {
    throw new IapeerError('CONTROL_UNSUPPORTED', `runtime "${args.adapter.name}" does not support control command "${command}"`, { data: { runtime: args.adapter.name, command } });
  }
  if (!(await args.tmux.isAlive(args.identity))) {
    throw new IapeerError('SESSION_NOT_LIVE', `${describePeer(args.identity)} has no live session: nothing to ${command}`, { data: { identity: args.identity } });
  }
}

/** §6.5 interrupt: the adapter's interrupt keys (Escape), live targets only, no ready gate. */
export async function sendInterrupt(args: ControlArgs): Promise<void> {
  await assertControllable(args, 'interrupt');
  await args.tmux.sendKeys(args.identity, args.adapter.controls.interrupt);
}

/** §6.5 compact: type the literal `/compact`, wait `settleMs` (300), then the submit keys (Enter). */
export async function sendCompact(args: ControlArgs & { clock?: Clock; settleMs?: number }): Promise<void> {
  await assertControllable(args, 'compact');
  const { text, keys } = args.adapter.controls.compact;
  // A fixed literal, not a message body: typing it with send-keys is safe (tmux sends a
  // string that is not a key name as its characters).
  await args.tmux.sendKeys(args.identity, [text]);
  await (args.clock ?? realClock).sleep(args.settleMs ?? 300);
  await args.tmux.sendKeys(args.identity, keys);
}
