/**
 * Supervisor adapter: `wake` and `noteTopic` of the supervisor's contract
 * (libs/contracts/src/supervisor.ts). A FAILED wake comes back with the supervisor's
 * own code and reason, which the send path hands to the sender unchanged.
 */
import type { ArmResult, EnqueueResult, WakeInput, WakeResultWire } from '@iapeer/contracts';
import type { SupervisorPort } from '../ports';

/** The part of the supervisor's tRPC client (`RpcClient<SupervisorRouter>['client']`) this adapter uses. */
export interface SupervisorWakeClient {
  wake: { mutate(input: WakeInput): Promise<WakeResultWire> };
  noteTopic: { mutate(input: { identity: string; topic: string }): Promise<unknown> };
  enqueue: { mutate(input: { personality: string; runtime: string; task: string; topic?: string; sendId?: string }): Promise<EnqueueResult> };
  arm: { mutate(input: { identity: string; origin: 'outbound' | 'self-done' }): Promise<ArmResult> };
}

export function createSupervisorPort(client: SupervisorWakeClient): SupervisorPort {
  return {
    wake: (req) => client.wake.mutate(stripUndefined(req)),
    async noteTopic(args) {
      await client.noteTopic.mutate(args);
    },
    enqueue: (req) => client.enqueue.mutate(stripUndefined(req)),
    arm: (args) => client.arm.mutate(args),
  };
}

/** tRPC strict schemas may refuse explicit `undefined` keys after superjson; send only what is set. */
function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
