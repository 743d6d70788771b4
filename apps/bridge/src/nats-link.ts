/**
 * The bridge's NATS side: one connection (reconnecting forever), the fleet stream and
 * the two KV buckets, created idempotently by whichever bridge starts first.
 *
 * - stream IAPEER_FLEET, subjects `iapeer.fleet.send.<host>`, work-queue retention
 *   (a message leaves once its host acked it), file storage, a 10 minute dedupe window
 *   (msg-id = the fleet message id: a re-publish of a retried send is dropped);
 * - KV `iapeer_roster`: one entry per host (RosterEntry);
 * - KV `iapeer_results`: the signed remote answer per message id, for 10 minutes
 *   (a sender that restarted, or whose publish was a duplicate, reads it there).
 */
import fs from 'node:fs';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, JetStreamApiError, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, credsAuthenticator, nanos, nkeyAuthenticator, type NatsConnection } from './nats-core';
import type { FleetConfig } from './fleet-config';
import type { HostKey } from './host-key';

export const STREAM = 'IAPEER_FLEET';
export const ROSTER_BUCKET = 'iapeer_roster';
export const RESULTS_BUCKET = 'iapeer_results';
/** The idempotency TTL of the routers: a retry inside it is deduped at every hop. */
export const DEDUPE_WINDOW_MS = 10 * 60 * 1000;
/** How long a host may take to ack before JetStream redelivers (the bridge signals progress meanwhile). */
export const ACK_WAIT_MS = 10_000;

export const sendSubject = (host: string) => `iapeer.fleet.send.${host}`;
export const durableName = (host: string) => `bridge-${host}`;

export interface NatsLink {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  roster: KV;
  results: KV;
}

export async function connectNats(cfg: FleetConfig, key: HostKey): Promise<NatsConnection> {
  const authenticator =
    cfg.auth.kind === 'creds' ? credsAuthenticator(fs.readFileSync(cfg.auth.file)) : cfg.auth.kind === 'nkey' ? nkeyAuthenticator(key.seed) : undefined;
  return connect({
    servers: cfg.natsUrl.split(',').map((s) => s.trim()),
    name: `iapeer-bridge-${cfg.host}`,
    authenticator,
    // a NATS restart is an outage to ride out, never a reason to exit
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    waitOnFirstConnect: true,
  });
}

export async function openLink(nc: NatsConnection, host: string): Promise<NatsLink> {
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await ensure(() => jsm.streams.info(STREAM), () =>
    jsm.streams.add({
      name: STREAM,
      subjects: ['iapeer.fleet.send.*'],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      duplicate_window: nanos(DEDUPE_WINDOW_MS),
    }),
  );
  await ensure(() => jsm.consumers.info(STREAM, durableName(host)), () =>
    jsm.consumers.add(STREAM, {
      durable_name: durableName(host),
      filter_subject: sendSubject(host),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(ACK_WAIT_MS),
      max_deliver: -1,
    }),
  );
  const kvm = new Kvm(js);
  const roster = await kvm.create(ROSTER_BUCKET, { history: 1 });
  const results = await kvm.create(RESULTS_BUCKET, { history: 1, ttl: DEDUPE_WINDOW_MS });
  return { nc, js, jsm, roster, results };
}

/** Creates what `info` does not find; another bridge creating it first is fine. */
async function ensure(info: () => Promise<unknown>, add: () => Promise<unknown>): Promise<void> {
  try {
    await info();
    return;
  } catch (err) {
    if (!(err instanceof JetStreamApiError) || err.status !== 404) throw err;
  }
  try {
    await add();
  } catch (err) {
    await info().catch(() => Promise.reject(err));
  }
}
