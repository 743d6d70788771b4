import type { TmuxDriver } from '@iapeer/tmux';
import type { SubmitQueued } from './adapter';

/** waitForPane bound to one pane: captures until `accept` holds or `timeoutMs` passes. */
export type PaneWait = (accept: (pane: string) => boolean, timeoutMs: number) => Promise<{ ok: boolean; pane: string }>;

export type HeldOutcome = { landed: true; pane: string } | { landed: false; pane: string; why: string };

/** How long the cancel keys may take to show on screen. */
const CANCEL_SEEN_MS = 2000;

/**
 * The agent took the Enter but holds the submit (adapter.submitQueued on screen, e.g.
 * codex's "Waiting for startup" in its first ~10 s). It submits by itself once ready, so
 * no further Enter is pressed: wait up to `graceMs` for the input row to clear. If it
 * never does, cancel the held submit so the message cannot land after the caller was
 * told NOT delivered; a landing that beat the cancel still counts as delivered.
 */
export async function awaitHeldSubmit(args: {
  tmux: TmuxDriver;
  identity: string;
  held: SubmitQueued;
  /** The input row no longer holds the message. */
  landed: (pane: string) => boolean;
  wait: PaneWait;
  /** Forget pane output seen so far (before sending keys). */
  reset: () => void;
}): Promise<HeldOutcome> {
  const { held, landed } = args;
  const holds = (pane: string) => held.match.test(pane);
  const first = await args.wait((pane) => landed(pane) || !holds(pane), held.graceMs);
  if (landed(first.pane)) return { landed: true, pane: first.pane };
  if (!holds(first.pane)) return { landed: false, pane: first.pane, why: 'the agent held the submit, then dropped it without taking the message' };

  args.reset();
  await args.tmux.sendKeys(args.identity, held.cancelKeys);
  const after = await args.wait((pane) => landed(pane) || !holds(pane), CANCEL_SEEN_MS);
  if (landed(after.pane)) return { landed: true, pane: after.pane };
  const cancelled = holds(after.pane) ? 'the cancel did not show, so it may still land' : `the held submit was cancelled (${held.cancelKeys.join(' ')})`;
  return { landed: false, pane: after.pane, why: `the agent held the submit for ${held.graceMs} ms without taking it (still starting); ${cancelled}` };
}
