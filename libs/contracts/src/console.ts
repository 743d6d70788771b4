import { z } from 'zod';
import { ActivityStateSchema } from './activity';
import { healthProcedure, type HealthHandler } from './health';
import { procedure, router } from './trpc';

/**
 * The console service (docs/architecture.md "The console"): an HTTP page on loopback
 * for the operator, and this small router on its Unix socket for the CLI. `login`
 * mints a one-time token the browser exchanges for a session cookie; the socket is
 * 0600, so only the operator's uid can ask for one.
 */
export const ConsoleLoginResultSchema = z
  .object({
    /** `http://127.0.0.1:<port>/login?token=<token>`: open it once. */
    url: z.string(),
    /** The console's base URL (without a token). */
    base: z.string(),
    /** Epoch ms after which the token is refused. */
    expiresAt: z.number(),
    /** Actions are hidden and refused for this login (`--read-only`, or IAPEER_CONSOLE_READ_ONLY for every login). */
    readOnly: z.boolean(),
  })
  .strict();
export type ConsoleLoginResult = z.infer<typeof ConsoleLoginResultSchema>;

// ── what the page receives (validated before it is sent) ────────────────────────

/** A peer's row state: the live activity state when a session is up, else the supervisor's status. */
export const FleetStateSchema = z.union([ActivityStateSchema, z.enum(['asleep', 'stopped', 'crash-looped'])]);
export type FleetState = z.infer<typeof FleetStateSchema>;

export const FleetIdentitySchema = z
  .object({
    identity: z.string(),
    runtime: z.string(),
    state: FleetStateSchema,
    /** Which rule decided (the activity reading's `why`, or the supervisor status). */
    why: z.string(),
    humans: z.number().int().nonnegative(),
    lastActivityMs: z.number().nullable(),
    deathsInWindow: z.number().int().nonnegative(),
    /** Messages waiting in the ephemeral queue (counts only, never bodies). */
    queueDepth: z.number().int().nonnegative(),
    topic: z.string().nullable(),
  })
  .strict();
export type FleetIdentity = z.infer<typeof FleetIdentitySchema>;

export const FleetRowSchema = z
  .object({
    personality: z.string(),
    runtimes: z.array(z.string()),
    defaultRuntime: z.string(),
    description: z.string().optional(),
    identities: z.array(FleetIdentitySchema),
  })
  .strict();
export type FleetRow = z.infer<typeof FleetRowSchema>;

export const ServiceStatusSchema = z.object({ name: z.string(), up: z.boolean(), reason: z.string().optional() }).strict();

export const AttentionKindSchema = z.enum(['crash-loop', 'waiting', 'held', 'delivery-failed', 'service-down']);
export const AttentionItemSchema = z
  .object({ kind: AttentionKindSchema, personality: z.string().optional(), text: z.string(), at: z.number() })
  .strict();
export type AttentionItem = z.infer<typeof AttentionItemSchema>;

export const FleetSnapshotSchema = z
  .object({
    /** Increases with every snapshot the console builds. */
    version: z.number().int().nonnegative(),
    at: z.number(),
    rows: z.array(FleetRowSchema),
    services: z.array(ServiceStatusSchema),
    attention: z.array(AttentionItemSchema),
  })
  .strict();
export type FleetSnapshot = z.infer<typeof FleetSnapshotSchema>;

/** One decision line of lifecycle.log or delivery.log: its logfmt fields, never a message body. */
export const DecisionSchema = z
  .object({
    /** Unique and increasing within the console's life. */
    id: z.number().int().nonnegative(),
    log: z.enum(['lifecycle', 'delivery']),
    ts: z.string(),
    ev: z.string(),
    /** The peer the line is about (personality), when it names one. */
    peer: z.string().optional(),
    fields: z.record(z.string(), z.string()),
  })
  .strict();
export type Decision = z.infer<typeof DecisionSchema>;

export const PanePreviewSchema = z.object({ identity: z.string(), live: z.boolean(), lines: z.array(z.string()), at: z.number() }).strict();
export type PanePreview = z.infer<typeof PanePreviewSchema>;

export const ConsoleSessionSchema = z.object({ readOnly: z.boolean(), root: z.string(), version: z.string() }).strict();
export type ConsoleSession = z.infer<typeof ConsoleSessionSchema>;

/** `login`: a read-only login's page shows everything and offers (and may send) no action. */
export const ConsoleLoginInputSchema = z.object({ readOnly: z.boolean().optional() }).strict().optional();
export type ConsoleLoginInput = z.infer<typeof ConsoleLoginInputSchema>;

export interface ConsoleHandlers {
  health: HealthHandler;
  login(input: { readOnly?: boolean }): ConsoleLoginResult | Promise<ConsoleLoginResult>;
}

export function createConsoleRouter(h: ConsoleHandlers) {
  return router({
    health: healthProcedure(h.health),
    login: procedure.input(ConsoleLoginInputSchema).output(ConsoleLoginResultSchema).mutation(({ input }) => h.login(input ?? {})),
  });
}

export type ConsoleRouter = ReturnType<typeof createConsoleRouter>;
