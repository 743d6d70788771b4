import type { Command } from 'commander';
import type { AwaitQueuedResult, RouterServiceRouter, SendResult } from '@iapeer/contracts';
import type { RpcClient } from '@iapeer/rpc';
import { IapeerError, errorMessage, resolvePaths } from '@iapeer/core';
import { CliError } from '../cli-error';
import type { CliIO } from '../io';
import { iapeerCodeOf } from '@iapeer/rpc';
import { serviceClient } from '../services';
import { resolveIdentity } from '../send/resolve-identity';
import { readMessage } from '../send/read-message';

interface SendOptions {
  message?: string;
  messageFile?: string;
  from?: string;
  runtime?: string;
  attachment: string[];
  topic?: string;
  idempotencyKey?: string;
  json?: boolean;
  wait?: boolean;
  queue?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * The one line a send prints (§10): `delivered to <p> (<rt>)`, or for a message an
 * ephemeral worker's queue accepted (§7.7) `queued for <p> (<rt>), depth N — …`.
 */
export function sendSummary(r: SendResult): string {
  const to = `${r.delivered_to.personality} (${r.delivered_to.runtime})`;
  if (r.queued && r.queuedBy === 'composer') return `queued for ${to}, depth ${r.queueDepth} — ${r.note ?? 'held until its input row is free'}`;
  if (r.queued && r.queuedBy === 'fleet') return `queued for ${to}, depth ${r.queueDepth} — held in the fleet stream until its host is back`;
  if (r.queued) return `queued for ${to}, depth ${r.queueDepth} — the supervisor tick drains it`;
  return `delivered to ${to}`;
}

/** `iapeer send <target>`: one message through the router (docs/behaviour.md §10), output `delivered to <p> (<rt>)`. */
export function registerSend(program: Command, io: CliIO, readStdin?: () => string): void {
  program
    .command('send <target>')
    .description('send a message to a peer by name; it is woken if asleep (exit 0 only when it landed, or an ephemeral worker queued it)')
    .option('--message <text>', 'the message text')
    .option('--message-file <file>', 'read the message from a file, or from stdin with -')
    .option('--from <identity>', "the sender, <runtime>-<personality> (default: the peer whose folder is the cwd)")
    .option('--runtime <runtime>', "the target's runtime (default: its live or default runtime)")
    .option('--attachment <path>', 'an absolute file path for the peer (repeatable, at most 20)', collect, [])
    .option('--topic <topic>', 'a short topic (at most 200 characters)')
    .option('--idempotency-key <key>', 'retrying with the same key within 10 minutes never delivers twice')
    .option('--queue', 'a <peer>@<host> send to a host that is down is held in the fleet stream until it is back (docs/fleet.md)')
    .option('--json', 'print the result object ({ok:false, code, error} when it failed)')
    .option('--wait', 'when the message is held (a human typing, a dialog on screen), block until it lands (exit 0) or fails (exit 1)')
    .action(async (target: string, opts: SendOptions) => {
      const message = readMessage(opts, io.cwd, readStdin);
      const from = opts.from ?? resolveIdentity(io.cwd, io.env);
      const { client, close } = serviceClient(resolvePaths(io.env), 'router');
      try {
        const r = await client.send.mutate({
          from,
          personality: target,
          message,
          ...(opts.runtime !== undefined && { runtime: opts.runtime }),
          ...(opts.topic !== undefined && { topic: opts.topic }),
          ...(opts.attachment.length > 0 && { attachments: opts.attachment }),
          ...(opts.idempotencyKey !== undefined && { idempotencyKey: opts.idempotencyKey }),
          ...(opts.queue && { queue: true }),
        });
        io.out(opts.json ? JSON.stringify(r) : sendSummary(r));
        if (opts.wait && r.queued && r.queuedBy === 'composer' && r.queueId) {
          const final = await awaitHeld(client, r.queueId, io);
          if (final.status === 'delivered') {
            const landed: SendResult = { ok: true, delivered_to: final.delivered_to ?? r.delivered_to, woke: false, ts: new Date().toISOString() };
            io.out(opts.json ? JSON.stringify(landed) : sendSummary(landed));
            return;
          }
          const why = final.status === 'failed' ? `delivery failed: ${final.reason}` : `the router has no record of held message ${r.queueId} (it restarted after deciding it); see delivery.log`;
          throw new IapeerError('HELD_DELIVERY_FAILED', why);
        }
      } catch (err) {
        // the router's code is the one the hop that refused gave (CRASH_LOOP from the supervisor…)
        if (opts.json) io.out(JSON.stringify({ ok: false, code: iapeerCodeOf(err) ?? 'INTERNAL', error: errorMessage(err) }));
        throw new CliError(errorMessage(err), 1);
      } finally {
        close();
      }
    });
}

/** How long one long poll blocks; the loop asks again after `pending`. */
const POLL_MS = 20_000;
/** A router that is gone (restarting) is asked again for this long before --wait gives up. */
const UNREACHABLE_MS = 60_000;

/** `--wait`: long-polls `awaitQueued` until the held message landed or failed (§6.4). */
async function awaitHeld(client: RpcClient<RouterServiceRouter>['client'], id: string, io: CliIO): Promise<AwaitQueuedResult> {
  let unreachableSince: number | null = null;
  for (;;) {
    let r: AwaitQueuedResult;
    try {
      r = await client.awaitQueued.query({ id, timeoutMs: POLL_MS });
      unreachableSince = null;
    } catch (err) {
      if (iapeerCodeOf(err)) throw err;
      // the router restarting: the message is on disk and drains after it is back
      if (unreachableSince === null) io.err('iapeer send: the router is not answering; waiting for it to come back…');
      unreachableSince ??= Date.now();
      if (Date.now() - unreachableSince > UNREACHABLE_MS) throw err;
      await new Promise((res) => setTimeout(res, 500));
      continue;
    }
    if (r.status !== 'pending') return r;
  }
}
