import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { RouterServiceRouter } from '@iapeer/contracts';
import { iapeerCodeOf, type RpcClient } from '@iapeer/rpc';

/** One logical send and what happened to it until it succeeded (or the drain gave up). */
export interface SendRecord {
  id: string;
  client: number;
  target: string;
  key: string;
  attempts: number;
  /** Error codes of the failed attempts, in order. */
  errors: string[];
  ok: boolean;
  /** ms from the first attempt to the ok. */
  ms?: number;
}

export interface SenderDeps {
  /** A router client per sender (each its own socket). */
  router: () => RpcClient<RouterServiceRouter>;
  /** Identity this client sends as, and the personalities it may send to. */
  from: string;
  targets: string[];
  random: () => number;
  /** True once the storm is over: finish the send in hand, start no new one. */
  stopping: () => boolean;
  /** Wall-clock ms after which a failing send is given up (it then counts as lost). */
  giveUpAt: () => number;
}

/** The body carries the send's unique id: the audit finds it in the transcripts. */
export const chaosBody = (id: string) => `chaos ${id} ${randomUUID()}`;
export const CHAOS_ID_RE = /chaos (c\d+-\d+) [0-9a-f-]{36}/g;

/**
 * A client loop: send, and on any error retry the same send with the same idempotency
 * key (a short pause between attempts) until it is ok. Returns every send it made.
 */
export async function runSender(client: number, deps: SenderDeps): Promise<SendRecord[]> {
  const records: SendRecord[] = [];
  const rpc = deps.router();
  try {
    for (let seq = 1; !deps.stopping(); seq++) {
      const id = `c${client}-${seq}`;
      const target = deps.targets[Math.floor(deps.random() * deps.targets.length)];
      const rec: SendRecord = { id, client, target, key: `key-${id}`, attempts: 0, errors: [], ok: false };
      records.push(rec);
      const message = chaosBody(id);
      const started = Date.now();
      for (;;) {
        rec.attempts++;
        try {
          await rpc.client.send.mutate({ from: deps.from, personality: target, message, idempotencyKey: rec.key });
          rec.ok = true;
          rec.ms = Date.now() - started;
          break;
        } catch (err) {
          rec.errors.push(iapeerCodeOf(err) ?? `untyped: ${(err as Error).message}`);
          if (Date.now() > deps.giveUpAt()) break;
          // a pause before the retry: the fault (a restart, a relaunch) needs a moment to heal
          await delay(150 + Math.floor(deps.random() * 350));
        }
      }
    }
  } finally {
    rpc.close();
  }
  return records;
}
