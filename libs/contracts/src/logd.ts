import { z } from 'zod';
import { EVENT_LOG_NAMES, LOG_NAMES, type EventLogFile, type LogName } from '@iapeer/core';
import { healthProcedure, type HealthHandler } from './health';
import { procedure, router } from './trpc';

// the names live in core so the CLI can use them without loading zod (docs/notes/bench.md)
export { EVENT_LOG_NAMES, LOG_NAMES, type EventLogFile, type LogName };

/** One line may not exceed this (bytes of UTF-16 units; logd re-checks bytes). */
export const MAX_LOG_LINE = 64 * 1024;
/** Lines in one append call, over all its entries. */
export const MAX_APPEND_LINES = 10_000;
/** Characters of one entry's `text`. */
export const MAX_APPEND_TEXT = 16 * 1024 * 1024;

/**
 * Any log name here is checked by logd (LOG_UNKNOWN names the allowed ones), so a
 * typo gets a coded answer instead of a zod dump.
 */
export const LogNameSchema = z.string().min(1).max(40);

export const AppendInputSchema = z
  .object({
    /** Who sends (stable for the client's life): logd drops a batch it already applied. */
    producer: z.string().min(1).max(200),
    /** Batch number within the producer, +1 per acknowledged batch. */
    seq: z.number().int().nonnegative(),
    /** Set when this batch was sent before and the answer was lost. */
    retry: z.boolean().optional(),
    /**
     * Lines per log, in order: `lines`, or `text` = the lines joined with `\n` (the
     * fast path the log sender uses: one string on the wire instead of thousands).
     */
    entries: z
      .array(
        z
          .object({ log: LogNameSchema, lines: z.array(z.string().max(MAX_LOG_LINE)).optional(), text: z.string().max(MAX_APPEND_TEXT).optional() })
          .strict()
          .refine((e) => (e.lines === undefined) !== (e.text === undefined), 'an entry has either lines or text, not both'),
      )
      .max(64),
  })
  .strict();
export type AppendInput = z.infer<typeof AppendInputSchema>;

export const AppendResultSchema = z.object({ written: z.number().int().nonnegative(), duplicate: z.number().int().nonnegative() }).strict();
export type AppendResult = z.infer<typeof AppendResultSchema>;

export const TailInputSchema = z
  .object({
    log: LogNameSchema,
    /** A position from an earlier `query`/`tail` item; absent = from the current end. */
    from: z.number().int().nonnegative().optional(),
    /** Same filters as `query` (lines that do not match are not sent; `pos` still advances). */
    ev: z.string().min(1).max(100).optional(),
    identity: z.string().min(1).max(100).optional(),
  })
  .strict();
export type TailInput = z.infer<typeof TailInputSchema>;

/**
 * New lines of a log. `pos` is the position just after the last line: pass it as
 * `from` to resume after a reconnect. Positions count every byte ever written to the
 * log, so they survive rotation and logd restarts. `skipped` > 0 when the lines
 * between `from` and the oldest kept file were rotated away.
 */
export const TailItemSchema = z.object({ pos: z.number().int().nonnegative(), lines: z.array(z.string()), skipped: z.number().int().nonnegative() }).strict();
export type TailItem = z.infer<typeof TailItemSchema>;

export const QueryInputSchema = z
  .object({
    log: LogNameSchema,
    /** Last N matching lines. @default 100 */
    n: z.number().int().positive().max(100_000).optional(),
    /** Only lines whose `ev` is this. */
    ev: z.string().min(1).max(100).optional(),
    /** Only lines about this peer: identity, personality, caller, to or via equal to it (or identity starting with `<p>-`). */
    identity: z.string().min(1).max(100).optional(),
    /** ISO time (inclusive bounds). */
    since: z.string().datetime({ offset: true }).optional(),
    until: z.string().datetime({ offset: true }).optional(),
  })
  .strict();
export type QueryInput = z.infer<typeof QueryInputSchema>;

export const QueryResultSchema = z.object({ lines: z.array(z.string()), end: z.number().int().nonnegative() }).strict();
export type QueryResult = z.infer<typeof QueryResultSchema>;

/** What the logd service implements; its router below is the contract clients see. */
export interface LogdHandlers {
  health: HealthHandler;
  append(input: AppendInput): AppendResult | Promise<AppendResult>;
  tail(input: TailInput, signal: AbortSignal | undefined): AsyncIterable<TailItem>;
  query(input: QueryInput): QueryResult | Promise<QueryResult>;
}

export function createLogdRouter(h: LogdHandlers) {
  return router({
    health: healthProcedure(h.health),
    append: procedure.input(AppendInputSchema).mutation(({ input }) => h.append(input)),
    tail: procedure.input(TailInputSchema).subscription(async function* ({ input, signal }) {
      yield* h.tail(input, signal);
    }),
    query: procedure.input(QueryInputSchema).output(QueryResultSchema).query(({ input }) => h.query(input)),
  });
}

export type LogdRouter = ReturnType<typeof createLogdRouter>;
