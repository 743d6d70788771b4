import { iapeerCodeOf } from '@iapeer/rpc';

export type ProcedureKind = 'query' | 'mutation' | 'subscription';

export type CallOutcome = { ok: true; value: unknown } | { ok: false; code: string | undefined; message: string };

interface SubscriptionHandlers {
  onData(d: unknown): void;
  onError(e: unknown): void;
  onComplete(): void;
}

/**
 * One procedure of a tRPC client as the fuzzer calls it: by name, with any input (it
 * sends garbage on purpose, so the contract's input types are what is being tested, not
 * something to satisfy). A proxy answers every name; each kind has its one call.
 */
export interface FuzzedProcedure {
  query(input: unknown): Promise<unknown>;
  mutate(input: unknown): Promise<unknown>;
  subscribe(input: unknown, handlers: SubscriptionHandlers): { unsubscribe(): void };
}

/** A service client (`RpcClient<…Router>['client']`) seen by procedure name. */
export type FuzzedClient = Record<string, FuzzedProcedure>;

/** A subscription answers with its first item, an error, or nothing within `windowMs` (then unsubscribed). */
function firstItem(proc: FuzzedProcedure, input: unknown, windowMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // later, not now: an item may arrive while subscribe() is still returning
      queueMicrotask(() => sub.unsubscribe());
      fn();
    };
    const timer = setTimeout(() => finish(() => resolve(undefined)), windowMs);
    const sub = proc.subscribe(input, {
      onData: (d) => finish(() => resolve(d)),
      onError: (e) => finish(() => reject(e)),
      onComplete: () => finish(() => resolve(undefined)),
    });
  });
}

/** Calls one procedure of a tRPC client by kind; any throw becomes an outcome with its iapeer code. */
export async function callProcedure(client: FuzzedClient, name: string, kind: ProcedureKind, input: unknown): Promise<CallOutcome> {
  const proc = client[name];
  try {
    const value = kind === 'query' ? await proc.query(input) : kind === 'mutation' ? await proc.mutate(input) : await firstItem(proc, input, 300);
    return { ok: true, value };
  } catch (err) {
    return { ok: false, code: iapeerCodeOf(err), message: (err as Error).message };
  }
}
