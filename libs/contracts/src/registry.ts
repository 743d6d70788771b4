import { z } from 'zod';
import { healthProcedure, type HealthHandler } from './health';
import { procedure, router } from './trpc';

/**
 * A registered peer as the registry answers it. `intelligence` is the nature
 * (artificial | natural | absent); `intelligence_raw` is the on-disk value, which may be
 * a legacy word (`human`, `scripted`) the registry keeps verbatim (docs/behaviour.md §4.1, §12).
 */
export const PeerSchema = z
  .object({
    personality: z.string(),
    default_runtime: z.string(),
    /** Always starts with default_runtime; no duplicates. */
    runtimes: z.array(z.string()),
    description: z.string(),
    intelligence: z.enum(['artificial', 'natural', 'absent']),
    intelligence_raw: z.string(),
    cwd: z.string(),
    interfaces: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type Peer = z.infer<typeof PeerSchema>;

/** Why the registry file cannot be written: it is kept as is until restored or rebuilt. */
export const CorruptionSchema = z.object({ path: z.string(), reason: z.string() }).strict();
export type Corruption = z.infer<typeof CorruptionSchema>;

export const ListOutputSchema = z
  .object({
    /** Every record that reads cleanly, sorted by personality. */
    peers: z.array(PeerSchema),
    /** Non-fatal read notes (a newer schema version, a re-clamped description…). */
    warnings: z.array(z.string()),
    /** Set when the file (or a record in it) is invalid: writes are refused. */
    corrupt: CorruptionSchema.nullable(),
  })
  .strict();

// Inputs are loose strings on purpose: the service validates them itself so each bad value
// gets its exact coded error (INVALID_PERSONALITY, INVALID_RUNTIME…), not a generic zod one.
export const GetInputSchema = z.object({ personality: z.string() }).strict();

export const UpsertInputSchema = z
  .object({
    personality: z.string(),
    runtime: z.string(),
    runtimes: z.array(z.string()).optional(),
    description: z.string().optional(),
    intelligence: z.string().optional(),
    interfaces: z.record(z.string(), z.unknown()).optional(),
    /** Absolute folder of the peer. */
    cwd: z.string(),
  })
  .strict();
export type UpsertInput = z.infer<typeof UpsertInputSchema>;

export const UpsertOutputSchema = z
  .object({ peer: PeerSchema, created: z.boolean(), warnings: z.array(z.string()) })
  .strict();

export const RemoveInputSchema = z.object({ personality: z.string() }).strict();
/** `removed: false` is the idempotent no-op of an absent peer; `peer` is what was removed. */
export const RemoveOutputSchema = z.object({ removed: z.boolean(), peer: PeerSchema.nullable() }).strict();

export const RenameInputSchema = z.object({ from: z.string(), to: z.string() }).strict();
export const RenameOutputSchema = z.object({ peer: PeerSchema, profileRewritten: z.boolean() }).strict();

/**
 * Make a folder a peer (what `iapeer init` / `iapeer create` ask for): merge-write
 * `<cwd>/.iapeer/peer-profile.json`, scaffold `<cwd>/.iapeer/`, and upsert the record.
 * The registry service writes the profile on the caller's behalf.
 */
export const InitInputSchema = z
  .object({
    cwd: z.string(),
    /** When given, must equal the normalized folder name (and any existing profile's name). */
    personality: z.string().optional(),
    runtime: z.string().optional(),
    description: z.string().optional(),
    intelligence: z.string().optional(),
    initial_prompt: z.string().optional(),
    /** More runtimes to declare (`iapeer add-runtime`); the default stays unless `runtime` is given. */
    runtimes: z.array(z.string()).optional(),
    /** Routing faces to set, merged per channel over the profile's (`iapeer connect telegram`). */
    interfaces: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type InitInput = z.infer<typeof InitInputSchema>;

export const InitOutputSchema = z
  .object({
    peer: PeerSchema,
    created: z.boolean(),
    profilePath: z.string(),
    profileCreated: z.boolean(),
    warnings: z.array(z.string()),
  })
  .strict();

export const DRIFT_KINDS = ['missing-in-registry', 'differs', 'missing-profile', 'invalid-profile', 'stale-record', 'duplicate-profile'] as const;
export const DriftSchema = z
  .object({
    personality: z.string(),
    cwd: z.string(),
    kind: z.enum(DRIFT_KINDS),
    /** For `differs`: the record fields whose value differs from the profile. */
    fields: z.array(z.string()).optional(),
    detail: z.string().optional(),
  })
  .strict();
export type Drift = z.infer<typeof DriftSchema>;

export const VerifyOutputSchema = z
  .object({ ok: z.boolean(), corrupt: CorruptionSchema.nullable(), drift: z.array(DriftSchema), peers: z.number().int() })
  .strict();

export const ReindexInputSchema = z
  .object({ cwds: z.array(z.string()).optional() })
  .strict()
  .optional();
export const ReindexOutputSchema = z
  .object({
    added: z.array(z.string()),
    updated: z.array(z.string()),
    removed: z.array(z.string()),
    /** Records with no readable profile: kept as they are (never dropped silently). */
    kept: z.array(z.string()),
    /** Where a corrupt registry file was copied before it was rebuilt. */
    backup: z.string().nullable(),
    drift: z.array(DriftSchema),
  })
  .strict();

type Out<S extends z.ZodTypeAny> = z.infer<S> | Promise<z.infer<S>>;

/** What the registry service implements; its router below is the contract clients see. */
export interface RegistryHandlers {
  health: HealthHandler;
  list(): Out<typeof ListOutputSchema>;
  get(input: z.infer<typeof GetInputSchema>): Out<ReturnType<typeof PeerSchema.nullable>>;
  upsert(input: UpsertInput): Out<typeof UpsertOutputSchema>;
  remove(input: z.infer<typeof RemoveInputSchema>): Out<typeof RemoveOutputSchema>;
  rename(input: z.infer<typeof RenameInputSchema>): Out<typeof RenameOutputSchema>;
  init(input: InitInput): Out<typeof InitOutputSchema>;
  reindex(input: z.infer<typeof ReindexInputSchema>): Out<typeof ReindexOutputSchema>;
  verify(): Out<typeof VerifyOutputSchema>;
}

export function createRegistryRouter(h: RegistryHandlers) {
  return router({
    health: healthProcedure(h.health),
    list: procedure.output(ListOutputSchema).query(() => h.list()),
    get: procedure.input(GetInputSchema).output(PeerSchema.nullable()).query(({ input }) => h.get(input)),
    upsert: procedure.input(UpsertInputSchema).output(UpsertOutputSchema).mutation(({ input }) => h.upsert(input)),
    remove: procedure.input(RemoveInputSchema).output(RemoveOutputSchema).mutation(({ input }) => h.remove(input)),
    rename: procedure.input(RenameInputSchema).output(RenameOutputSchema).mutation(({ input }) => h.rename(input)),
    init: procedure.input(InitInputSchema).output(InitOutputSchema).mutation(({ input }) => h.init(input)),
    reindex: procedure.input(ReindexInputSchema).output(ReindexOutputSchema).mutation(({ input }) => h.reindex(input)),
    verify: procedure.output(VerifyOutputSchema).query(() => h.verify()),
  });
}

export type RegistryRouter = ReturnType<typeof createRegistryRouter>;
