/**
 * A read-only preview of a session's pane: `tmux capture-pane` on the identity's own
 * server, spawned per read (no control client, so the console never counts as an
 * attached terminal and never sends a key).
 */
import type { PanePreview } from '@iapeer/contracts';
import type { TmuxDriver } from '@iapeer/tmux';

/** The pane is re-read this often while a page shows it. */
export const PANE_REFRESH_MS = 1000;
/** Lines of the pane sent to the page (its bottom, where the agent's prompt is). */
export const PANE_LINES = 60;

export async function readPane(driver: Pick<TmuxDriver, 'capture'>, identity: string, now: () => number = Date.now): Promise<PanePreview> {
  try {
    const text = await driver.capture(identity);
    const lines = text.replace(/\s+$/, '').split('\n');
    return { identity, live: true, lines: lines.slice(-PANE_LINES), at: now() };
  } catch {
    return { identity, live: false, lines: [], at: now() };
  }
}

/** The pane now, then each time it changes, until the page goes away. */
export async function* watchPane(driver: Pick<TmuxDriver, 'capture'>, identity: string, signal: AbortSignal | undefined, everyMs = PANE_REFRESH_MS): AsyncIterable<PanePreview> {
  let last = '';
  while (!signal?.aborted) {
    const p = await readPane(driver, identity);
    const key = `${p.live}|${p.lines.join('\n')}`;
    if (key !== last) {
      last = key;
      yield p;
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, everyMs);
      signal?.addEventListener('abort', () => {
        clearTimeout(t);
        resolve();
      }, { once: true });
    });
  }
}
