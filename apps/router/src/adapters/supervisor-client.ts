/**
 * Supervisor adapter: `wake` and `noteTopic` of the supervisor's contract
 * (libs/contracts/src/supervisor.ts). A FAILED wake comes back with the supervisor's
 * own code and reason, which the send path hands to the sender unchanged.
 */
import type { ArmResult, EnqueueResult, WakeInput, WakeResultWire } from '@iapeer/contracts';

/** The part of the supervisor's `state` answer `parked` reads. */
type IdentityState = { identity: string; status: string; markers: { idleReaped: boolean } };
import type { SupervisorPort } from '../ports';

/** The part of the supervisor's tRPC client (`RpcClient<SupervisorRouter>['client']`) this adapter uses. */
export interface SupervisorWakeClient {
  wake: { mutate(input: WakeInput): Promise<WakeResultWire> };
  noteTopic: { mutate(input: { identity: string; topic: string }): Promise<unknown> };
  enqueue: { mutate(input: { personality: string; runtime: string; task: string; topic?: string; sendId?: string }): Promise<EnqueueResult> };
  arm: { mutate(input: { identity: string; origin: 'outbound' | 'self-done' }): Promise<ArmResult> };
  state: { query(input: { personality?: string }): Promise<IdentityState[]> };
}

export function createSupervisorPort(client: SupervisorWakeClient): SupervisorPort {
  return {
    wake: (req) => client.wake.mutate(stripUndefined(req)),
    async noteTopic(args) {
      await client.noteTopic.mutate(args);
    },
    enqueue: (req) => client.enqueue.mutate(stripUndefined(req)),
    arm: (args) => client.arm.mutate(args),
    async parked(identity) {
      const personality = identity.slice(identity.indexOf('-') + 1);
      const s = (await client.state.query({ personality })).find((r) => r.identity === identity);
      return Boolean(s && s.status !== 'live' && s.markers.idleReaped);
    },
  };
}

/** tRPC strict schemas may refuse explicit `undefined` keys after superjson; send only what is set. */
function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
