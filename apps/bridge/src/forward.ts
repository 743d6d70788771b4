/**
 * The sending side (docs/fleet.md "Failure semantics"): pick the host, refuse fast when
 * it is down (or hold the message with `queue`), publish the signed message to the host's
 * durable subject with its id as JetStream msg-id, and wait for the remote truth: the
 * signed reply on the reply subject, or the same reply in the results bucket (where a
 * retry whose publish was a duplicate finds it).
 */
import { randomUUID } from 'node:crypto';
import type { FleetMessage, FleetReply, ForwardInput, SendResult } from '@iapeer/contracts';
import { IapeerError, errorMessage } from '@iapeer/core';
import { headers } from './nats-core';
import type { FleetConfig } from './fleet-config';
import type { HostKey } from './host-key';
import { sendSubject, STREAM, type NatsLink } from './nats-link';
import { isUp, readEntry, readRoster } from './roster';
import type { HostKeys } from './trust';
import { HOST_HEADER, openReply, REPLY_HEADER, SIG_HEADER } from './wire';

export interface ForwardDeps {
  cfg: FleetConfig;
  key: HostKey;
  link(): NatsLink | undefined;
  keys: HostKeys;
  now(): number;
}

/** How often a waiting send also looks in the results bucket (the reply subject is the fast path). */
const RESULT_POLL_MS = 1000;

export const replySubject = (host: string, id: string) => `iapeer.fleet.reply.${host}.${id}`;

export async function forward(input: ForwardInput, deps: ForwardDeps): Promise<SendResult> {
  const { cfg } = deps;
  const link = deps.link();
  if (!link || link.nc.isClosed()) throw unavailable('the bridge is not connected to NATS');
  const entry = await targetHost(input, link, deps);
  const host = entry.host;

  const id = `${cfg.host}-${input.sendId ?? randomUUID()}`;
  if (input.sendId) {
    // a retry: the first attempt's answer may already be there
    const prior = await storedReply(link, id, host, deps);
    if (prior) return settle(prior);
  }
  const up = isUp(entry, deps.now());
  if (!up && !input.queue) {
    throw new IapeerError('FLEET_HOST_DOWN', `host "${host}" is down (its bridge last refreshed the roster ${Math.round((deps.now() - entry.updatedAt) / 1000)} s ago); message NOT sent — retry later, or send with --queue to hold it until ${host} is back`, { data: { host } });
  }

  const msg: FleetMessage = {
    v: 1,
    id,
    from: { host: cfg.host, identity: input.from },
    to: { host, personality: input.personality, ...(input.runtime !== undefined && { runtime: input.runtime }) },
    message: input.message,
    ...(input.topic !== undefined && { topic: input.topic }),
    sentAt: deps.now(),
  };
  const body = JSON.stringify(msg);
  const h = headers();
  h.set(SIG_HEADER, deps.key.sign(body));
  h.set(HOST_HEADER, cfg.host);
  h.set(REPLY_HEADER, replySubject(cfg.host, id));
  // subscribed before the publish: an answer cannot outrun its listener
  const sub = up ? link.nc.subscribe(replySubject(cfg.host, id), { max: 1 }) : undefined;
  try {
    try {
      await link.js.publish(sendSubject(host), body, { msgID: id, headers: h, expect: { streamName: STREAM } });
    } catch (err) {
      throw unavailable(`publishing to ${sendSubject(host)} failed: ${errorMessage(err)}`);
    }
    if (!sub) return queuedResult(input, entry.peers.find((p) => p.name === input.personality)?.defaultRuntime, await depthOf(link, host), deps);
    return settle(await awaitReply(sub, link, id, host, deps));
  } finally {
    sub?.unsubscribe();
  }
}

async function targetHost(input: ForwardInput, link: NatsLink, deps: ForwardDeps) {
  if (input.host) {
    const entry = await readEntry(link.roster, input.host);
    if (!entry) throw new IapeerError('FLEET_HOST_UNKNOWN', `no host "${input.host}" in the fleet roster (\`iapeer list --fleet\`); message NOT sent`, { data: { host: input.host } });
    return entry;
  }
  const holders = (await readRoster(link.roster, deps.cfg.host, deps.now())).filter((h) => !h.self && h.peers.some((p) => p.name === input.personality));
  if (holders.length === 0) {
    throw new IapeerError('PEER_NOT_FOUND', `peer "${input.personality}" is not in the iapeer peers index, nor on any host of the fleet; message NOT delivered`, { data: { personality: input.personality } });
  }
  if (holders.length > 1) {
    throw new IapeerError('FLEET_TARGET_AMBIGUOUS', `peer "${input.personality}" is on several hosts (${holders.map((h) => h.host).join(', ')}); name one: ${input.personality}@<host> — message NOT sent`);
  }
  return holders[0];
}

async function awaitReply(sub: AsyncIterable<{ string(): string }>, link: NatsLink, id: string, host: string, deps: ForwardDeps): Promise<FleetReply> {
  const deadline = deps.now() + deps.cfg.timeoutMs;
  const iterator = sub[Symbol.asyncIterator]();
  let next = iterator.next();
  for (;;) {
    const left = deadline - deps.now();
    if (left <= 0) break;
    const tick = new Promise<'tick'>((r) => setTimeout(() => r('tick'), Math.min(left, RESULT_POLL_MS)).unref());
    const got = await Promise.race([next, tick]);
    if (got !== 'tick') {
      if (got.done) next = new Promise(() => undefined); // the subscription ended (a reconnect): the bucket still answers
      else {
        next = iterator.next();
        const key = await deps.keys.keyOf(host);
        const reply = key ? openReply(got.value.string(), host, key, id) : null;
        if (reply) return reply;
        continue; // not signed by the host: never taken as its answer
      }
    }
    const stored = await storedReply(link, id, host, deps).catch(() => null);
    if (stored) return stored;
  }
  throw new IapeerError(
    'FLEET_NO_ANSWER',
    `host "${host}" did not answer within ${Math.round(deps.cfg.timeoutMs / 1000)} s; the message is in its durable stream and is delivered at most once when it catches up — retry with the same idempotency key to learn the outcome`,
    { data: { host, id } },
  );
}

async function storedReply(link: NatsLink, id: string, host: string, deps: ForwardDeps): Promise<FleetReply | null> {
  const e = await link.results.get(id);
  if (!e || e.operation !== 'PUT') return null;
  const key = await deps.keys.keyOf(host);
  return key ? openReply(e.string(), host, key, id) : null;
}

function settle(reply: FleetReply): SendResult {
  if (reply.ok) return reply.result;
  throw new IapeerError(reply.code, reply.error);
}

async function depthOf(link: NatsLink, host: string): Promise<number> {
  const info = await link.jsm.streams.info(STREAM, { subjects_filter: sendSubject(host) }).catch(() => null);
  return Math.max(1, info?.state.subjects?.[sendSubject(host)] ?? 1);
}

function queuedResult(input: ForwardInput, defaultRuntime: string | undefined, depth: number, deps: ForwardDeps): SendResult {
  return {
    ok: true,
    delivered_to: { personality: input.personality, runtime: input.runtime ?? defaultRuntime ?? 'unknown' },
    woke: false,
    ts: new Date(deps.now()).toISOString(),
    queued: true,
    queuedBy: 'fleet',
    queueDepth: depth,
  };
}

const unavailable = (why: string) => new IapeerError('FLEET_UNAVAILABLE', `${why}; message NOT sent — retry with the same idempotency key`);
