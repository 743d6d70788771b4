import type { TmuxDriver } from '@iapeer/tmux';
import type { RuntimeAdapter } from './adapter';
import { realClock, type Clock } from './clock';
import type { DeliveryConfig } from './deliver';
import { inputCleared, showsPaste } from './pane-text';
import { openPaneWatch, waitForPane } from './pane-watch';

/**
 * A delivery cut off between its paste and its Enter (the router was killed) leaves the
 * paste in the agent's input area. Pasting the retry after it would submit both as one
 * message, so a retry of such a send first submits what is there: returns true when the
 * input area held a paste and Enter cleared it. The caller then checks the transcript for
 * its send id, and delivers only when the leftover was not its message.
 * Only a paste placeholder counts as a leftover; typed text is not touched.
 */
export async function submitLeftoverPaste(args: {
  tmux: TmuxDriver;
  identity: string;
  adapter: RuntimeAdapter;
  cfg: Pick<DeliveryConfig, 'submitTimeoutMs'>;
  paneLog?: string;
  clock?: Clock;
}): Promise<boolean> {
  const { tmux, identity, adapter } = args;
  if (adapter.kind === 'router' || !(await tmux.isAlive(identity))) return false;
  const glyphs = [adapter.promptGlyph];
  if (!showsPaste(await tmux.capture(identity), glyphs, '')) return false;
  const watch = await openPaneWatch(tmux, identity, args.paneLog);
  try {
    watch.reset();
    await tmux.sendKeys(identity, ['Enter']);
    const cleared = await waitForPane({ tmux, identity, accept: (pane) => inputCleared(pane, glyphs, ''), timeoutMs: args.cfg.submitTimeoutMs, watch, clock: args.clock ?? realClock, pollMs: 25, settleFirst: true });
    return cleared.ok;
  } finally {
    watch.close();
  }
}
