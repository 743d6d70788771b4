import { z } from 'zod';
import { parseIdentity } from '@iapeer/core';

/**
 * What a live session is doing (docs/behaviour.md §6.4), one closed union:
 * - `booting`: launched, not yet ready (a launch is in progress);
 * - `ready`: input row on screen and empty;
 * - `busy`: the agent is working (its busy indicator is on screen);
 * - `waiting`: a dialog, approval or question is on screen that a paste would answer;
 * - `held`: a human is attached (a tmux client other than iapeer's control clients) and
 *   has text in the input row;
 * - `dead`: the pane's process exited, or the session / server is gone;
 * - `unknown`: the screen matches none of these: never guessed.
 */
export const ACTIVITY_STATES = ['booting', 'ready', 'busy', 'waiting', 'held', 'dead', 'unknown'] as const;
export const ActivityStateSchema = z.enum(ACTIVITY_STATES);
export type ActivityState = z.infer<typeof ActivityStateSchema>;

const Identity = z.string().refine((s) => parseIdentity(s) !== null, 'expected an identity <runtime>-<personality>, e.g. claude-bob');

/** One reading of one session's state. */
export const ActivityReadingSchema = z
  .object({
    identity: Identity,
    state: ActivityStateSchema,
    /** Terminal clients attached that are not iapeer's own control clients (humans). */
    humans: z.number().int().nonnegative(),
    /** Which rule decided (`esc-to-interrupt`, `trust-folder`, `input row empty`, `pane dead`…). */
    why: z.string(),
    /** When it was read, epoch ms. */
    at: z.number(),
  })
  .strict();
export type ActivityReading = z.infer<typeof ActivityReadingSchema>;

export const ActivityInputSchema = z.object({ identity: Identity }).strict();
/** Changes of the given identities (all live sessions when absent). */
export const ActivityChangesInputSchema = z.object({ identities: z.array(Identity).optional() }).strict().optional();
