import { RUNTIME_RE } from '@iapeer/core';
import { z } from 'zod';
import { unworkablePattern } from './manifest-patterns';

/** A valid pattern that can work on a captured pane (manifest-patterns.ts). */
const regexString = z.string().min(1).superRefine((s, ctx) => {
  try {
    new RegExp(s, 'm');
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not a valid JavaScript regular expression' });
    return;
  }
  const why = unworkablePattern(s);
  if (why) ctx.addIssue({ code: 'custom', message: why });
});

const tmuxKey = z.string().min(1);

/**
 * `<root>/runtimes/<name>/runtime.json` (docs/architecture.md "Runtimes"). Patterns are
 * JavaScript regular expressions compiled with the `m` flag (so `^` anchors a pane row).
 */
export const RuntimeManifestSchema = z
  .object({
    runtime: z.string().regex(RUNTIME_RE, 'must match ^[a-z][a-z0-9]{0,31}$ (lowercase, no dashes)'),
    kind: z.enum(['tui', 'router']).default('tui'),
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    resumeArgs: z.array(z.string()).optional(),
    promptGlyph: z.string().min(1),
    readyPattern: regexString,
    /** The agent is working (a spinner, "esc to interrupt"): the screen reads `busy` (§6.4). */
    busyPattern: regexString.optional(),
    /** A dialog, approval or question a paste would answer: `waiting` (boot dialogs count too). */
    waitingPattern: regexString.optional(),
    bootDialogs: z.array(z.object({ match: regexString, keys: z.array(tmuxKey).min(1), name: z.string().min(1).optional() }).strict()).default([]),
    /**
     * A line of the activity files that records a finished compaction (§6.5): compact waits
     * for one more such line than before. Absent: compact is sent but cannot be confirmed.
     */
    compactDonePattern: regexString.optional(),
    activity: z.string().min(1).refine((s) => !s.startsWith('/') && !s.split('/').includes('..'), { message: 'must be a glob relative to the peer cwd (no leading /, no ..)' }).optional(),
  })
  .strict();

export type RuntimeManifest = z.infer<typeof RuntimeManifestSchema>;
