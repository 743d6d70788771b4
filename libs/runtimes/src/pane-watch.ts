import fs from 'node:fs';
import type { TmuxDriver } from '@iapeer/tmux';
import type { Clock } from './clock';

/**
 * Wakes a waiter when the pane prints something. tmux pipes every pane byte into the
 * pane log (pipe-pane), so an fs.watch on that file says "the screen changed" within
 * a fraction of a millisecond — no fixed 40 ms polling. A timer (`pollMs`) is the
 * fallback when there is no log or a change is missed.
 */
export interface PaneWatch {
  /** Resolves on the next pane output (or one already seen since the last call), or after `ms`. */
  next(ms: number): Promise<void>;
  /** Forget output seen so far (call right before causing the change you wait for). */
  reset(): void;
  /** True when the pane log is being watched (else waits are plain timer polls). */
  readonly active: boolean;
  close(): void;
}

export function watchPaneLog(paneLog: string | undefined): PaneWatch {
  let watcher: fs.FSWatcher | null = null;
  const w = signalWatch(() => watcher !== null, () => {
    watcher?.close();
    watcher = null;
  });
  if (paneLog && fs.existsSync(paneLog)) {
    try {
      watcher = fs.watch(paneLog, { persistent: false }, w.signal);
      watcher.on('error', () => {
        // The log was rotated or removed: the timer fallback keeps the waiter going.
        watcher?.close();
        watcher = null;
      });
    } catch {
      watcher = null; // watch not possible (fs limits): fall back to timer polling
    }
  }
  return w.watch;
}

/**
 * The best wake-up source for one pane: the tmux control connection's %output
 * notifications when the driver has one (no file, no fs.watch, the bytes as tmux reads
 * them), else the pane log.
 */
export async function openPaneWatch(tmux: TmuxDriver, identity: string, paneLog: string | undefined): Promise<PaneWatch> {
  if (tmux.onOutput) {
    let off: (() => void) | null = null;
    const w = signalWatch(() => off !== null, () => {
      off?.();
      off = null;
    });
    off = await tmux.onOutput(identity, w.signal).catch(() => null);
    if (off) return w.watch;
  }
  return watchPaneLog(paneLog);
}

/** The dirty flag + single waiter behind every PaneWatch; `signal` is "the pane printed". */
function signalWatch(active: () => boolean, stop: () => void): { watch: PaneWatch; signal: () => void } {
  let dirty = false;
  let wake: (() => void) | null = null;
  const watch: PaneWatch = {
    get active() {
      return active();
    },
    reset() {
      dirty = false;
    },
    next(ms) {
      if (dirty) {
        dirty = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.max(0, ms));
        function done() {
          clearTimeout(timer);
          wake = null;
          dirty = false;
          resolve();
        }
        wake = done;
      });
    },
    close() {
      stop();
      wake?.();
    },
  };
  return {
    watch,
    signal: () => {
      dirty = true;
      wake?.();
    },
  };
}

/**
 * Captures the pane until `accept(pane)` holds or `timeoutMs` passes; returns the last
 * capture and whether it was accepted. Captures happen on pane output (see watchPaneLog),
 * at least every `pollMs`.
 */
export async function waitForPane(args: {
  tmux: TmuxDriver;
  identity: string;
  accept: (pane: string) => boolean;
  timeoutMs: number;
  watch: PaneWatch;
  clock: Clock;
  pollMs: number;
  /** Wait for the first pane output before the first capture (the caller just typed something). */
  settleFirst?: boolean;
}): Promise<{ ok: boolean; pane: string }> {
  const deadline = args.clock.now() + args.timeoutMs;
  // A capture right after a paste or a key almost always predates the agent's redraw:
  // with the pane log watched, wait for its output instead of spending a tmux round trip.
  if (args.settleFirst && args.watch.active) await args.watch.next(Math.min(args.pollMs, args.timeoutMs));
  for (;;) {
    const pane = await args.tmux.capture(args.identity);
    if (args.accept(pane)) return { ok: true, pane };
    const left = deadline - args.clock.now();
    if (left <= 0) return { ok: false, pane };
    await args.watch.next(Math.min(args.pollMs, left));
  }
}
