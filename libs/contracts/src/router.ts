import { z } from 'zod';
import { IapeerError } from '@iapeer/core';
import { healthProcedure, type HealthHandler } from './health';
import { procedure, router } from './trpc';

/**
 * `send`: one message to a peer by name (docs/behaviour.md §6.2), from a registered peer
 * identity. Over the Unix socket the caller is trusted by file permissions (0600,
 * same uid); the MCP listener authenticates its callers separately (§8.2).
 * Only the shape is checked here: the §5.3 limits are checked by the router so a
 * refusal gets the spec's exact text and a delivery.log line.
 */
export const SendInputSchema = z
  .object({
    /** `<runtime>-<personality>` of the sender (the CLI's `--from`). */
    from: z.string(),
    /** The target peer's name (not an identity). */
    personality: z.string(),
    /** Optional target runtime; an asleep declared runtime is woken. */
    runtime: z.string().optional(),
    message: z.string(),
    topic: z.string().optional(),
    /** Absolute paths, at most 20. */
    attachments: z.array(z.string()).optional(),
    /** A retry with the same key within 10 minutes returns the first result and never delivers twice. */
    idempotencyKey: z.string().optional(),
    /** A `name@host` send to a host that is down is held in the fleet stream instead of refused (docs/fleet.md). */
    queue: z.boolean().optional(),
  })
  .strict();
export type SendInput = z.infer<typeof SendInputSchema>;

/** Why a send was queued instead of delivered: the ephemeral worker's serial queue (§7.7), or the composer hold (§6.4). */
export const QueuedBySchema = z.enum(['ephemeral', 'composer', 'fleet']);
export type QueuedBy = z.infer<typeof QueuedBySchema>;

/**
 * §6.2's success shape; failures are errors with an iapeerCode and the spec text.
 * A queued send is accepted (on disk) but not yet delivered: `queued`, `queuedBy` and
 * `queueDepth` are then all set, and `delivered_to` names the identity it waits for.
 */
export const SendResultSchema = z
  .object({
    ok: z.literal(true),
    delivered_to: z.object({ personality: z.string(), runtime: z.string() }).strict(),
    /** True when this send woke the peer (its message was the boot first-message). */
    woke: z.boolean(),
    /** ISO-8601 time of the confirmed delivery (of the enqueue, when queued). */
    ts: z.iso.datetime(),
    queued: z.literal(true).optional(),
    queuedBy: QueuedBySchema.optional(),
    /** Messages waiting in that queue, this one included. */
    queueDepth: z.number().int().positive().optional(),
    /** Composer hold (§6.4): the queued message's id, for `awaitQueued` (`iapeer send --wait`). */
    queueId: z.string().optional(),
    /** Composer hold (§6.4): why it was queued, in words (a human typing, a dialog on screen). */
    note: z.string().optional(),
  })
  .strict()
  .refine((r) => (r.queued === undefined) === (r.queuedBy === undefined) && (r.queued === undefined) === (r.queueDepth === undefined), {
    message: 'queued, queuedBy and queueDepth go together',
    path: ['queued'],
  });
export type SendResult = z.infer<typeof SendResultSchema>;

/** `awaitQueued`: a long poll on one composer-held message (§6.4) until it landed or failed. */
export const AwaitQueuedInputSchema = z
  .object({
    /** The send result's `queueId`. */
    id: z.string().min(1),
    /** How long this call may block; the caller polls again after `pending`. At most 60 s. */
    timeoutMs: z.number().int().positive().max(60_000).optional(),
  })
  .strict();
export type AwaitQueuedInput = z.infer<typeof AwaitQueuedInputSchema>;

/**
 * `delivered`: it landed (`delivered_to`); `failed`: it never will (`reason`, the sender was
 * told); `pending`: still held; `unknown`: this router has no record of it (a router restart
 * forgets outcomes that were decided before it; queued items survive and are found).
 */
export const AwaitQueuedResultSchema = z
  .object({
    status: z.enum(['delivered', 'failed', 'pending', 'unknown']),
    delivered_to: z.object({ personality: z.string(), runtime: z.string() }).strict().optional(),
    reason: z.string().optional(),
    /** Messages still held for that target when `pending`, this one included. */
    depth: z.number().int().nonnegative().optional(),
  })
  .strict();
export type AwaitQueuedResult = z.infer<typeof AwaitQueuedResultSchema>;

export const ControlCommandSchema = z.enum(['interrupt', 'compact']);
export type ControlCommandName = z.infer<typeof ControlCommandSchema>;

/** `control`: interrupt (Escape) or compact (`/compact` + Enter) a live target (§6.5). */
export const ControlInputSchema = z
  .object({
    personality: z.string(),
    runtime: z.string().optional(),
    command: ControlCommandSchema,
  })
  .strict();
export type ControlInput = z.infer<typeof ControlInputSchema>;

export const ControlResultSchema = z
  .object({
    ok: z.literal(true),
    controlled: z.object({ personality: z.string(), runtime: z.string() }).strict(),
    command: ControlCommandSchema,
    ts: z.iso.datetime(),
    /** compact of a parked peer: it was resumed first (§6.5). */
    resumed: z.boolean().optional(),
    /** compact: `confirmed` once the transcript shows the compaction done; `unconfirmed` when the runtime keeps no record iapeer can read. */
    compacted: z.enum(['confirmed', 'unconfirmed']).optional(),
  })
  .strict();
export type ControlResult = z.infer<typeof ControlResultSchema>;

/**
 * `fleetSend`: a message a remote host's peer sent, handed over by this host's bridge
 * after it checked the sending host's signature (docs/fleet.md). Only the bridge calls it.
 */
export const FleetDeliverInputSchema = z
  .object({
    /** The remote caller: its identity on its host, and the host. */
    from: z.object({ identity: z.string(), host: z.string() }).strict(),
    personality: z.string(),
    runtime: z.string().optional(),
    message: z.string(),
    topic: z.string().optional(),
    /** The fleet message id: the local router's idempotency key, so a redelivery never lands twice. */
    idempotencyKey: z.string(),
  })
  .strict();
export type FleetDeliverInput = z.infer<typeof FleetDeliverInputSchema>;

/** What the router service implements; its router below is the contract clients see. */
export interface RouterServiceHandlers {
  health: HealthHandler;
  send(input: SendInput): Promise<SendResult>;
  control(input: ControlInput): Promise<ControlResult>;
  awaitQueued(input: AwaitQueuedInput): Promise<AwaitQueuedResult>;
  fleetSend?(input: FleetDeliverInput): Promise<SendResult>;
}

export function createRouterServiceRouter(h: RouterServiceHandlers) {
  return router({
    health: healthProcedure(h.health),
    send: procedure
      .input(SendInputSchema)
      .output(SendResultSchema)
      .mutation(({ input }) => h.send(input)),
    control: procedure
      .input(ControlInputSchema)
      .output(ControlResultSchema)
      .mutation(({ input }) => h.control(input)),
    awaitQueued: procedure
      .input(AwaitQueuedInputSchema)
      .output(AwaitQueuedResultSchema)
      .query(({ input }) => h.awaitQueued(input)),
    fleetSend: procedure
      .input(FleetDeliverInputSchema)
      .output(SendResultSchema)
      .mutation(({ input }) => {
        if (!h.fleetSend) throw new IapeerError('FLEET_DISABLED', 'this router takes no fleet deliveries');
        return h.fleetSend(input);
      }),
  });
}

export type RouterServiceRouter = ReturnType<typeof createRouterServiceRouter>;
