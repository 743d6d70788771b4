import { iapeerCodeOf } from '@iapeer/rpc';

export type ProcedureKind = 'query' | 'mutation' | 'subscription';

export type CallOutcome = { ok: true; value: unknown } | { ok: false; code: string | undefined; message: string };

/** A subscription answers with its first item, an error, or nothing within `windowMs` (then unsubscribed). */
function firstItem(proc: any, input: unknown, windowMs: number): Promise<unknown> {
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
    const sub: { unsubscribe(): void } = proc.subscribe(input, {
      onData: (d: unknown) => finish(() => resolve(d)),
      onError: (e: unknown) => finish(() => reject(e)),
      onComplete: () => finish(() => resolve(undefined)),
    });
  });
}

/** Calls one procedure of a tRPC client by kind; any throw becomes an outcome with its iapeer code. */
export async function callProcedure(client: any, name: string, kind: ProcedureKind, input: unknown): Promise<CallOutcome> {
  const proc = client[name];
  try {
    const value = kind === 'query' ? await proc.query(input) : kind === 'mutation' ? await proc.mutate(input) : await firstItem(proc, input, 300);
    return { ok: true, value };
  } catch (err) {
    return { ok: false, code: iapeerCodeOf(err), message: (err as Error).message };
  }
}
