/**
 * Supervisor adapter — GUESSED SHAPE until the supervisor contract lands:
 * `supervisor.wake.mutate({personality, runtime?, topic?, task, resume?})` →
 *   `{status:'READY', identity, woke, taskDelivered}` | `{status:'FAILED', reason, stopped?}`
 * `supervisor.noteTopic.mutate({identity, topic})` → void (logs `ev=topic-note`).
 * Only this file knows the wire shape; fix the calls here at merge.
 */
import type { SupervisorPort, WakeOutcome, WakeRequest } from '../ports';

export interface SupervisorWakeClient {
  wake: { mutate(input: WakeRequest): Promise<WakeOutcome> };
  noteTopic: { mutate(input: { identity: string; topic: string }): Promise<unknown> };
}

export function createSupervisorPort(client: SupervisorWakeClient): SupervisorPort {
  return {
    wake: (req) => client.wake.mutate(stripUndefined(req)),
    async noteTopic(args) {
      await client.noteTopic.mutate(args);
    },
  };
}

/** tRPC strict schemas may refuse explicit `undefined` keys after superjson; send only what is set. */
function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
