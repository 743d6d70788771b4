import type { WakeInput, WakeResultWire } from '@iapeer/contracts';
import { formatIdentity, resolvePaths } from '@iapeer/core';
import type { CliIO } from '../io';
import { serviceClient } from '../services';
import { startProgress } from './progress';

/** A supervisor client for one CLI call; wakes and attaches may take minutes. */
export function supervisorClient(io: CliIO) {
  return serviceClient(resolvePaths(io.env), 'supervisor');
}

/** `<p> (<rt>): <outcome>[ — reason]`, the per-runtime line of stop/start/refresh (§10). */
export function formatOpRow(r: { personality: string; runtime: string; outcome: string; reason?: string }, label = r.outcome): string {
  return `${r.personality} (${r.runtime}): ${label}${r.reason ? ` — ${r.reason}` : ''}`;
}

/** Calls `wake`, showing the launch phases (streamed by `wakePhases`) while it runs. */
export async function wakeWithProgress(io: CliIO, input: WakeInput, label: string): Promise<WakeResultWire> {
  const { client, close } = supervisorClient(io);
  const progress = startProgress(io, label);
  let sub: { unsubscribe(): void } | undefined;
  try {
    if (input.runtime) {
      const identity = formatIdentity({ runtime: input.runtime, personality: input.personality });
      await new Promise<void>((resolve) => {
        sub = client.wakePhases.subscribe({ identity }, { onStarted: () => resolve(), onData: (ev) => progress.phase(ev.phase), onError: () => resolve() });
      });
    }
    return await client.wake.mutate(input);
  } finally {
    sub?.unsubscribe();
    progress.done();
    close();
  }
}
