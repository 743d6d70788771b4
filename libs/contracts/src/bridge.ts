import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '@iapeer/core';
import { healthProcedure, type HealthHandler } from './health';
import { SendResultSchema, type SendResult } from './router';
import { procedure, router } from './trpc';

/**
 * The bridge (docs/fleet.md): what crosses the wire between hosts over NATS, and the
 * tRPC router the local router and the CLI call on the bridge's socket. Everything a
 * bridge reads from NATS is parsed with these schemas before it is trusted.
 */

/** One peer of a host as the roster shows it: no folder, no profile, no transcript. */
export const FleetPeerSchema = z
  .object({
    name: z.string(),
    runtimes: z.array(z.string()),
    defaultRuntime: z.string(),
    /** `live` when any runtime has a session, `stopped` when stopped by an operator, else `asleep`. */
    state: z.enum(['live', 'asleep', 'stopped', 'unknown']),
  })
  .strict();
export type FleetPeer = z.infer<typeof FleetPeerSchema>;

/** A host's entry in the roster KV bucket (key = host name), rewritten every heartbeat. */
export const RosterEntrySchema = z
  .object({
    v: z.literal(1),
    host: z.string(),
    /** The host's ed25519 public key (an nkey, `U…`): what its forwarded messages are signed with. */
    publicKey: z.string(),
    /** Epoch ms of the last refresh: an entry older than 3 heartbeats means the host is down. */
    updatedAt: z.number().int().nonnegative(),
    heartbeatMs: z.number().int().positive(),
    peers: z.array(FleetPeerSchema),
  })
  .strict();
export type RosterEntry = z.infer<typeof RosterEntrySchema>;

/**
 * A forwarded send, the body of a message on `iapeer.fleet.send.<host>`. The bridge
 * signs these exact bytes; the signature travels in the `Iapeer-Sig` header.
 */
export const FleetMessageSchema = z
  .object({
    v: z.literal(1),
    /** Stable across retries of one keyed send: the JetStream msg-id and the remote idempotency key. */
    id: z.string().min(1).max(200),
    from: z.object({ host: z.string(), identity: z.string() }).strict(),
    to: z.object({ host: z.string(), personality: z.string(), runtime: z.string().optional() }).strict(),
    message: z.string(),
    topic: z.string().optional(),
    /** Epoch ms when the sending bridge published it. */
    sentAt: z.number().int().nonnegative(),
  })
  .strict();
export type FleetMessage = z.infer<typeof FleetMessageSchema>;

const errorCodeSchema = z.string().refine((c): c is ErrorCode => c in ERROR_CODES, 'a registered error code');

/** The remote truth, stored under the message id in the results bucket and sent to the reply subject. */
export const FleetReplySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), id: z.string(), result: SendResultSchema }).strict(),
  z.object({ ok: z.literal(false), id: z.string(), code: errorCodeSchema, error: z.string() }).strict(),
]);
export type FleetReply = { ok: true; id: string; result: SendResult } | { ok: false; id: string; code: ErrorCode; error: string };

/** What the local router hands the bridge for a remote target. */
export const ForwardInputSchema = z
  .object({
    /** The local caller's identity (`<runtime>-<personality>`). */
    from: z.string(),
    personality: z.string(),
    /** Absent: the one remote host that has this peer. */
    host: z.string().optional(),
    runtime: z.string().optional(),
    message: z.string(),
    topic: z.string().optional(),
    /** The router's send id of a keyed send: retries reuse it, so they dedupe across the hop. */
    sendId: z.string().optional(),
    /** Hold the message in the stream when the host is down (instead of FLEET_HOST_DOWN). */
    queue: z.boolean().optional(),
  })
  .strict();
export type ForwardInput = z.infer<typeof ForwardInputSchema>;

/** `roster`: every host's entry, with `up` computed by the bridge that answers. */
export const FleetHostSchema = RosterEntrySchema.extend({ up: z.boolean(), self: z.boolean() });
export type FleetHost = z.infer<typeof FleetHostSchema>;
export const RosterOutputSchema = z.array(FleetHostSchema);

export interface BridgeHandlers {
  health: HealthHandler;
  roster(): Promise<FleetHost[]>;
  forward(input: ForwardInput): Promise<SendResult>;
}

export function createBridgeRouter(h: BridgeHandlers) {
  return router({
    health: healthProcedure(h.health),
    roster: procedure.output(RosterOutputSchema).query(() => h.roster()),
    forward: procedure
      .input(ForwardInputSchema)
      .output(SendResultSchema)
      .mutation(({ input }) => h.forward(input)),
  });
}
export type BridgeRouter = ReturnType<typeof createBridgeRouter>;
