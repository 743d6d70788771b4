import type { ActivityReading } from '@iapeer/contracts';
import type { ScreenProbe } from './core/ports';

export interface ActivityWatchDeps {
  read(identity: string): Promise<ActivityReading>;
  /** The identities to watch when a subscriber names none: every session with a `.session` or a live server. */
  watched(): Promise<string[]>;
  screens?: ScreenProbe;
}

/** Quiet time after pane output before reading (a TUI redraws in bursts). */
const SETTLE_MS = 40;
/** Re-read this often without output: attaches, launches and deaths print nothing here. */
const POLL_MS = 1000;

/**
 * `activityChanges` (§6.4): per subscriber, the current state of each watched session,
 * then each change. Re-reads are driven by the pane's own output (control-mode %output
 * on the supervisor's connection), by `pulse()` (a launch started or ended, a tick ran)
 * and by a 1 s poll; a reading equal to the last one sent is not sent again.
 */
export class ActivityWatch {
  private readonly pulses = new Set<() => void>();

  constructor(private readonly deps: ActivityWatchDeps) {}

  /** Something changed that output does not show: every subscriber re-reads now. */
  pulse(): void {
    for (const p of this.pulses) p();
  }

  async *watch(identities: readonly string[] | undefined, signal?: AbortSignal): AsyncIterable<ActivityReading> {
    const last = new Map<string, string>();
    const outputs = new Map<string, () => void>();
    let wake: (() => void) | null = null;
    let dirty = true;
    const poke = () => {
      dirty = true;
      wake?.();
    };
    const onOutput = () => setTimeout(poke, SETTLE_MS).unref();
    this.pulses.add(poke);
    signal?.addEventListener('abort', poke);
    try {
      while (!signal?.aborted) {
        if (dirty) {
          dirty = false;
          const ids = identities ? [...identities] : await this.deps.watched();
          for (const id of ids) {
            const r = await this.deps.read(id);
            const key = `${r.state}|${r.humans}`;
            if (last.get(id) !== key) {
              last.set(id, key);
              yield r;
            }
            if (!outputs.has(id) && r.state !== 'dead' && this.deps.screens?.onOutput) {
              outputs.set(id, () => undefined); // reserved: one subscription per identity
              const off = await this.deps.screens.onOutput(id, onOutput).catch(() => null);
              if (off) outputs.set(id, off);
              else outputs.delete(id);
            }
            if (r.state === 'dead') {
              outputs.get(id)?.();
              outputs.delete(id);
            }
          }
        }
        if (signal?.aborted) break;
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            dirty = true;
            resolve();
          }, POLL_MS);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
          if (dirty) wake();
        });
        wake = null;
      }
    } finally {
      this.pulses.delete(poke);
      signal?.removeEventListener('abort', poke);
      for (const off of outputs.values()) off();
    }
  }
}
