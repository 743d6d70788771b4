/**
 * The receiving side (docs/fleet.md): messages for this host come from its durable
 * consumer. Each is checked (schema, addressed here, signed by the key of the host it
 * claims), delivered through the local router with its id as the idempotency key
 * (verified delivery, wake on miss), answered (signed, in the results bucket, then on
 * the reply subject) and only then acked. A crash anywhere before the ack means a
 * redelivery, which the router's idempotency store answers without delivering again.
 */
import { FleetMessageSchema, type FleetDeliverInput, type FleetMessage, type FleetReply, type SendResult } from '@iapeer/contracts';
import { ERROR_CODES, errorMessage, type ErrorCode } from '@iapeer/core';
import type { JsMsg } from '@nats-io/jetstream';
import { iapeerCodeOf } from '@iapeer/rpc';
import type { Logger } from 'pino';
import type { HostKey } from './host-key';
import { verifySignature } from './host-key';
import { durableName, STREAM, type NatsLink } from './nats-link';
import { safeJson } from './roster';
import type { HostKeys } from './trust';
import { REPLY_HEADER, SIG_HEADER, signReply } from './wire';

export interface InboundDeps {
  host: string;
  key: HostKey;
  keys: HostKeys;
  logger: Logger;
  deliver(input: FleetDeliverInput): Promise<SendResult>;
}

/** Codes that say "this host cannot answer now" (its router is restarting): redeliver, do not answer. */
const TRANSIENT: ReadonlySet<string> = new Set(['SERVICE_UNAVAILABLE', 'SERVICE_TIMEOUT']);
const PROGRESS_MS = 3000;

/** Consumes until `stopped()`; a broken consume (a NATS restart) is re-opened. */
export async function consumeInbound(link: NatsLink, deps: InboundDeps, stopped: () => boolean): Promise<void> {
  while (!stopped()) {
    try {
      const consumer = await link.js.consumers.get(STREAM, durableName(deps.host));
      const messages = await consumer.consume({ max_messages: 64 });
      for await (const m of messages) {
        if (stopped()) break;
        void handle(m, link, deps);
      }
    } catch (err) {
      if (!stopped()) deps.logger.warn({ err: errorMessage(err) }, 'fleet consumer interrupted; re-opening');
    }
    if (!stopped()) await new Promise((r) => setTimeout(r, 500));
  }
}

async function handle(m: JsMsg, link: NatsLink, deps: InboundDeps): Promise<void> {
  const progress = setInterval(() => m.working(), PROGRESS_MS);
  try {
    const checked = await check(m, deps);
    if (!checked.ok) {
      deps.logger.warn({ id: checked.id, code: checked.code, why: checked.error }, 'fleet message refused');
      await answer(link, m, deps, checked);
      m.ack();
      return;
    }
    const msg = checked.msg;
    let reply: FleetReply;
    try {
      const result = await deps.deliver({
        from: msg.from,
        personality: msg.to.personality,
        ...(msg.to.runtime !== undefined && { runtime: msg.to.runtime }),
        message: msg.message,
        ...(msg.topic !== undefined && { topic: msg.topic }),
        idempotencyKey: msg.id,
      });
      reply = { ok: true, id: msg.id, result };
    } catch (err) {
      const code = iapeerCodeOf(err);
      if (code === undefined || TRANSIENT.has(code)) {
        // the local router is not there to say: the message stays in the stream
        deps.logger.warn({ id: msg.id, err: errorMessage(err) }, 'local router unavailable; fleet message redelivered later');
        m.nak(1000);
        return;
      }
      reply = { ok: false, id: msg.id, code: code in ERROR_CODES ? (code as ErrorCode) : 'INTERNAL', error: errorMessage(err) };
    }
    await answer(link, m, deps, reply);
    m.ack();
  } catch (err) {
    deps.logger.error({ err }, 'fleet message not handled; redelivered later');
    m.nak(1000);
  } finally {
    clearInterval(progress);
  }
}

type Checked = { ok: true; msg: FleetMessage } | { ok: false; id: string; code: ErrorCode; error: string };

async function check(m: JsMsg, deps: InboundDeps): Promise<Checked> {
  const body = m.string();
  const parsed = FleetMessageSchema.safeParse(safeJson(body));
  const rawId = (safeJson(body) as { id?: unknown } | undefined)?.id;
  const id = typeof rawId === 'string' && rawId.length <= 200 ? rawId : `invalid-${m.seq}`;
  if (!parsed.success) return { ok: false, id, code: 'INVALID_INPUT', error: `malformed fleet message: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  const msg = parsed.data;
  if (msg.to.host !== deps.host) return { ok: false, id, code: 'INVALID_INPUT', error: `message for host "${msg.to.host}" arrived at "${deps.host}"` };
  const key = await deps.keys.keyOf(msg.from.host);
  if (!key || !verifySignature(key, body, m.headers?.get(SIG_HEADER))) {
    return {
      ok: false,
      id,
      code: 'FLEET_FORGED',
      error: key
        ? `message claiming to come from ${msg.from.identity}@${msg.from.host} is not signed by ${msg.from.host}'s key; refused, NOT delivered`
        : `message claiming to come from host "${msg.from.host}", whose key is unknown (not in the roster or IAPEER_FLEET_KEYS); refused, NOT delivered`,
    };
  }
  return { ok: true, msg };
}

/** In the results bucket first (it outlives a lost reply), then to the waiting sender. */
async function answer(link: NatsLink, m: JsMsg, deps: InboundDeps, reply: FleetReply): Promise<void> {
  const signed = signReply(deps.key, deps.host, reply);
  if (/^[-/_=.a-zA-Z0-9]+$/.test(reply.id)) await link.results.put(reply.id, signed);
  const to = m.headers?.get(REPLY_HEADER);
  if (to && /^iapeer\.fleet\.reply\.[A-Za-z0-9_-]+\.[-_=a-zA-Z0-9]+$/.test(to)) link.nc.publish(to, signed);
}
