import { z } from 'zod';
import { ERROR_CODES, MAX_TOPIC_LEN, PERSONALITY_RE, RUNTIME_RE, parseIdentity, type ErrorCode } from '@iapeer/core';
import { ActivityChangesInputSchema, ActivityInputSchema, ActivityReadingSchema, type ActivityReading } from './activity';
import { healthProcedure, type HealthHandler } from './health';
import { procedure, router } from './trpc';

/** An envelope wraps a message of up to 16 000 chars plus attributes and CDATA framing. */
export const MAX_WAKE_TASK_LEN = 64_000;

export const PersonalitySchema = z.string().regex(PERSONALITY_RE, 'expected a peer name: a lowercase letter first, then up to 31 lowercase letters, digits or dashes');
export const RuntimeSchema = z.string().regex(RUNTIME_RE, 'expected a runtime name: a lowercase letter, then up to 31 lowercase letters or digits (no dashes)');
export const IdentitySchema = z.string().refine((s) => parseIdentity(s) !== null, 'expected an identity <runtime>-<personality>, e.g. claude-bob');
export const ErrorCodeSchema = z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]);

// ── wake / new ───────────────────────────────────────────────────────────────
export const WakeOriginSchema = z.enum(['send', 'attach', 'folder-launch', 'new', 'eager-relaunch', 'cli', 'ephemeral-drain', 'compact']);

export const WakeInputSchema = z
  .object({
    personality: PersonalitySchema,
    runtime: RuntimeSchema.optional(),
    topic: z.string().max(MAX_TOPIC_LEN).optional(),
    /** The first message (usually an IAP envelope); '' or absent for a bare bring-up. */
    task: z.string().max(MAX_WAKE_TASK_LEN).optional(),
    /** false: always fresh (folder launch). true: must resume (attach). Absent: §7.5 decides. */
    resume: z.boolean().optional(),
    origin: WakeOriginSchema.optional(),
  })
  .strict();
export type WakeInput = z.infer<typeof WakeInputSchema>;

export const WakeResultSchema = z.discriminatedUnion('status', [
  z
    .object({
      status: z.literal('READY'),
      identity: IdentitySchema,
      personality: PersonalitySchema,
      runtime: RuntimeSchema,
      /** false: it was already live (the live fast path); the caller delivers live. */
      woke: z.boolean(),
      taskDelivered: z.boolean(),
      mode: z.enum(['fresh', 'resume']).optional(),
      cause: z.string().optional(),
    })
    .strict(),
  z
    .object({
      status: z.literal('FAILED'),
      code: ErrorCodeSchema,
      reason: z.string(),
      identity: IdentitySchema.optional(),
      /** The peer is stopped by an operator (the reason is what a sender is told). */
      stopped: z.boolean().optional(),
    })
    .strict(),
]);
export type WakeResultWire = z.infer<typeof WakeResultSchema>;

export const NewInputSchema = z.object({ personality: PersonalitySchema, runtime: RuntimeSchema.optional() }).strict();

// ── stop / start / refresh ───────────────────────────────────────────────────
export const TargetSelectorSchema = z
  .object({ personality: PersonalitySchema.optional(), runtime: RuntimeSchema.optional(), all: z.boolean().optional() })
  .strict()
  .refine((s) => Boolean(s.personality) !== Boolean(s.all), { message: 'name a peer or pass all: true, not both and not neither' })
  .refine((s) => !(s.runtime && !s.personality), { message: 'a runtime needs a peer' });
export type TargetSelectorInput = z.infer<typeof TargetSelectorSchema>;

const opResult = <O extends [string, ...string[]]>(outcomes: O) =>
  z
    .object({ personality: PersonalitySchema, runtime: RuntimeSchema, identity: IdentitySchema, outcome: z.enum(outcomes), reason: z.string().optional() })
    .strict();

export const StopResultSchema = z.array(opResult(['stopped', 'bootout', 'refused-foreign-launchd', 'failed']));
export const StartResultSchema = z.array(opResult(['started', 'bootstrap', 'refused-foreign-launchd', 'failed']));
export const RefreshResultSchema = z.array(opResult(['marked', 'skipped-router']));

// ── markFresh / noteTopic ────────────────────────────────────────────────────
export const MarkFreshInputSchema = z.object({ identity: IdentitySchema }).strict();
export const MarkFreshResultSchema = z.object({ identity: IdentitySchema, marked: z.literal(true) }).strict();
export const NoteTopicInputSchema = z.object({ identity: IdentitySchema, topic: z.string().min(1).max(MAX_TOPIC_LEN) }).strict();
export const NoteTopicResultSchema = z.object({ changed: z.boolean() }).strict();

// ── tick ─────────────────────────────────────────────────────────────────────
export const SuperviseActionSchema = z.enum(['reaped-idle', 'reaped-gone', 'reaped-ephemeral', 'skipped-launchd', 'skipped-stopped', 'skipped-error', 'alive', 'needs-eager-fresh', 'readopted', 'stop-completed', 'reap-completed', 'park-cleared', 'skipped-attached']);
export const SuperviseOutcomeSchema = z
  .object({
    identity: IdentitySchema,
    action: SuperviseActionSchema,
    reason: z.string().optional(),
    death: z.string().optional(),
    age: z.number().int().nonnegative().optional(),
    outcome: z.string().optional(),
  })
  .strict();
export const TickInputSchema = z.object({}).strict().optional();
/** One ephemeral queue head the pass handed to a fresh session (§7.7), with the wake's answer. */
export const DrainedSchema = z.object({ identity: IdentitySchema, seq: z.string().regex(/^\d{6}$/), result: WakeResultSchema }).strict();
export const TickResultSchema = z
  .object({
    outcomes: z.array(SuperviseOutcomeSchema),
    relaunched: z.array(z.object({ identity: IdentitySchema, result: WakeResultSchema }).strict()),
    drained: z.array(DrainedSchema),
  })
  .strict();

// ── state ────────────────────────────────────────────────────────────────────
export const StateInputSchema = z.object({ personality: PersonalitySchema.optional() }).strict().optional();
export const SessionRecordSchema = z
  .object({
    identity: IdentitySchema,
    runtime: RuntimeSchema,
    personality: PersonalitySchema,
    cwd: z.string(),
    wokeAt: z.string(),
    /** The profile's wake_policy when the session came up: `ephemeral` sessions get the quiet reap (§7.6). */
    wakePolicy: z.literal('ephemeral').optional(),
  })
  .strict();
export const IdentityStateSchema = z
  .object({
    identity: IdentitySchema,
    personality: PersonalitySchema,
    runtime: RuntimeSchema,
    status: z.enum(['live', 'asleep', 'stopped']),
    lastActivityMs: z.number().nullable(),
    deathsInWindow: z.number().int().nonnegative(),
    /** Messages waiting in the identity's ephemeral queue (§7.7). */
    queueDepth: z.number().int().nonnegative(),
    markers: z
      .object({
        session: SessionRecordSchema.nullable(),
        stopped: z.boolean(),
        idleReaped: z.boolean(),
        newEager: z.boolean(),
        freshNext: z.boolean(),
        ephemeralArmed: z.boolean(),
        topics: z.array(z.string()),
        deaths: z.array(z.number()),
      })
      .strict(),
  })
  .strict();
export const StateResultSchema = z.array(IdentityStateSchema);

// ── purge (after the registry unregistered a peer) ──────────────────────────────
export const PurgeInputSchema = z.object({ personality: PersonalitySchema }).strict();
export const PurgeResultSchema = z
  .object({
    personality: PersonalitySchema,
    /** Identities whose live session was killed (its token revoked with it). */
    killed: z.array(IdentitySchema),
    /** File names removed from the lifecycle dir (`<identity>.<suffix>`), sorted. */
    removed: z.array(z.string()),
  })
  .strict();
export type PurgeResult = z.infer<typeof PurgeResultSchema>;

// ── attach bracket (a human's terminal on a session) ──────────────────────────
export const AttachEventInputSchema = z
  .object({ identity: IdentitySchema, phase: z.enum(['start', 'end']), code: z.number().int().optional() })
  .strict();
export const AttachEventResultSchema = z.object({ logged: z.literal(true) }).strict();

// ── ephemeral workers (§7.7) ───────────────────────────────────────────────
/** `enqueue`: the router hands a message for an ephemeral worker to its durable FIFO. */
export const EnqueueInputSchema = z
  .object({
    personality: PersonalitySchema,
    /** The identity's runtime (the router resolved it: explicit, else the default). */
    runtime: RuntimeSchema,
    /** The IAP envelope: the first message of the session that will take it. */
    task: z.string().min(1).max(MAX_WAKE_TASK_LEN),
    topic: z.string().max(MAX_TOPIC_LEN).optional(),
    /** A keyed send's id: a retry finding it already queued is not queued twice. */
    sendId: z.string().regex(/^[0-9a-f]{16}$/).optional(),
  })
  .strict();
export const EnqueueResultSchema = z
  .object({
    identity: IdentitySchema,
    /** The item's sequence number, six digits. */
    seq: z.string().regex(/^\d{6}$/),
    /** Items in the queue after this one was added, this one included. */
    depth: z.number().int().positive(),
    /** True when the sendId was already queued (nothing was added). */
    duplicate: z.boolean(),
  })
  .strict();
export type EnqueueResult = z.infer<typeof EnqueueResultSchema>;
export type EnqueueInput = z.infer<typeof EnqueueInputSchema>;

/** `arm`: `.ephemeral-armed` for a session whose work is done (its reply was delivered, or `self-done`). */
export const ArmInputSchema = z.object({ identity: IdentitySchema, origin: z.enum(['outbound', 'self-done']) }).strict();
export const ArmResultSchema = z
  .object({
    identity: IdentitySchema,
    armed: z.literal(true),
    /** The peer's profile says wake_policy "ephemeral"; the marker means nothing for any other peer. */
    ephemeral: z.boolean(),
    /** IAPEER_EPHEMERAL_QUIET_SECS: how long the session must be quiet before the reap. */
    quietSecs: z.number().int().positive(),
  })
  .strict();
export type ArmResult = z.infer<typeof ArmResultSchema>;

// ── launch progress (for a CLI spinner) ──────────────────────────────────────
export const LaunchPhaseSchema = z.enum(['pre-clean', 'spawning', 'booting', 'answering-dialogs', 'delivering', 'ready-gate']);
export const WakePhasesInputSchema = z.object({ identity: IdentitySchema }).strict();
export const PhaseEventSchema = z.object({ identity: IdentitySchema, phase: LaunchPhaseSchema }).strict();
export type PhaseEvent = z.infer<typeof PhaseEventSchema>;

type In<S extends z.ZodType> = z.infer<S>;
type Out<S extends z.ZodType> = z.infer<S> | Promise<z.infer<S>>;

/** What the supervisor service implements; its router below is the contract clients see. */
export interface SupervisorHandlers {
  health: HealthHandler;
  wake(input: In<typeof WakeInputSchema>): Out<typeof WakeResultSchema>;
  stop(input: In<typeof TargetSelectorSchema>): Out<typeof StopResultSchema>;
  start(input: In<typeof TargetSelectorSchema>): Out<typeof StartResultSchema>;
  markFresh(input: In<typeof MarkFreshInputSchema>): Out<typeof MarkFreshResultSchema>;
  refresh(input: In<typeof TargetSelectorSchema>): Out<typeof RefreshResultSchema>;
  /** Property syntax: `new(...)` in an interface would declare a construct signature. */
  new: (input: In<typeof NewInputSchema>) => Out<typeof WakeResultSchema>;
  tick(): Out<typeof TickResultSchema>;
  state(input: { personality?: string }): Out<typeof StateResultSchema>;
  noteTopic(input: In<typeof NoteTopicInputSchema>): Out<typeof NoteTopicResultSchema>;
  purge(input: In<typeof PurgeInputSchema>): Out<typeof PurgeResultSchema>;
  enqueue(input: In<typeof EnqueueInputSchema>): Out<typeof EnqueueResultSchema>;
  arm(input: In<typeof ArmInputSchema>): Out<typeof ArmResultSchema>;
  wakePhases(input: In<typeof WakePhasesInputSchema>, signal: AbortSignal | undefined): AsyncIterable<PhaseEvent>;
  /** `iapeer attach` started / ended: the supervisor logs `ev=attach` / `ev=attach-end` (§7.9). */
  attachEvent(input: In<typeof AttachEventInputSchema>): Out<typeof AttachEventResultSchema>;
  /** The activity state of one session, read now (§6.4). */
  activity(input: In<typeof ActivityInputSchema>): Out<typeof ActivityReadingSchema>;
  /** Every change of activity state from now on (the current state of each first). */
  activityChanges(input: In<typeof ActivityChangesInputSchema>, signal: AbortSignal | undefined): AsyncIterable<ActivityReading>;
}

/**
 * The supervisor's procedures: `wake` (wakeOrSpawn §7.4), `stop`/`start` (§10 durable
 * stop), `markFresh` (self-fresh), `refresh` (`.fresh-next`), `new` (fresh restart),
 * `tick` (one supervise pass now), `state` (per identity), `noteTopic` (live topic set),
 * `purge` (kill and forget an unregistered peer: what `iapeer remove` asks after the
 * registry's `remove`), `enqueue` (an ephemeral worker's FIFO, §7.7), `arm` (its work is
 * done: reply delivered or `self-done`), `wakePhases` (launch progress stream), `activity`
 * (one session's state, §6.4) and `activityChanges` (its changes, streamed), `health`.
 */
export function createSupervisorRouter(h: SupervisorHandlers) {
  return router({
    health: healthProcedure(h.health),
    wake: procedure.input(WakeInputSchema).output(WakeResultSchema).mutation(({ input }) => h.wake(input)),
    stop: procedure.input(TargetSelectorSchema).output(StopResultSchema).mutation(({ input }) => h.stop(input)),
    start: procedure.input(TargetSelectorSchema).output(StartResultSchema).mutation(({ input }) => h.start(input)),
    markFresh: procedure.input(MarkFreshInputSchema).output(MarkFreshResultSchema).mutation(({ input }) => h.markFresh(input)),
    refresh: procedure.input(TargetSelectorSchema).output(RefreshResultSchema).mutation(({ input }) => h.refresh(input)),
    new: procedure.input(NewInputSchema).output(WakeResultSchema).mutation(({ input }) => h.new(input)),
    tick: procedure.input(TickInputSchema).output(TickResultSchema).mutation(() => h.tick()),
    state: procedure.input(StateInputSchema).output(StateResultSchema).query(({ input }) => h.state(input ?? {})),
    noteTopic: procedure.input(NoteTopicInputSchema).output(NoteTopicResultSchema).mutation(({ input }) => h.noteTopic(input)),
    purge: procedure.input(PurgeInputSchema).output(PurgeResultSchema).mutation(({ input }) => h.purge(input)),
    enqueue: procedure.input(EnqueueInputSchema).output(EnqueueResultSchema).mutation(({ input }) => h.enqueue(input)),
    arm: procedure.input(ArmInputSchema).output(ArmResultSchema).mutation(({ input }) => h.arm(input)),
    wakePhases: procedure.input(WakePhasesInputSchema).subscription(async function* ({ input, signal }) {
      for await (const ev of h.wakePhases(input, signal)) yield PhaseEventSchema.parse(ev);
    }),
    attachEvent: procedure.input(AttachEventInputSchema).output(AttachEventResultSchema).mutation(({ input }) => h.attachEvent(input)),
    activity: procedure.input(ActivityInputSchema).output(ActivityReadingSchema).query(({ input }) => h.activity(input)),
    activityChanges: procedure.input(ActivityChangesInputSchema).subscription(async function* ({ input, signal }) {
      for await (const r of h.activityChanges(input ?? {}, signal)) yield ActivityReadingSchema.parse(r);
    }),
  });
}

export type SupervisorRouter = ReturnType<typeof createSupervisorRouter>;
