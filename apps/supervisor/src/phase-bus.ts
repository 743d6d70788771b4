import { EventEmitter, on } from 'node:events';
import type { PhaseEvent } from '@iapeer/contracts';
import type { LaunchPhase } from './core/ports';

/** Launch phases fanned out to `wakePhases` subscribers (a CLI spinner). */
export class PhaseBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // one listener per waiting CLI; many may watch at once
    this.emitter.setMaxListeners(0);
  }

  publish(identity: string, phase: LaunchPhase): void {
    this.emitter.emit('phase', { identity, phase } satisfies PhaseEvent);
  }

  /** Phases of one identity until the subscriber goes away. */
  async *watch(identity: string, signal?: AbortSignal): AsyncIterable<PhaseEvent> {
    try {
      for await (const [ev] of on(this.emitter, 'phase', { signal })) {
        if ((ev as PhaseEvent).identity === identity) yield ev as PhaseEvent;
      }
    } catch (err) {
      if ((err as Error).name !== 'AbortError') throw err;
      // the subscriber left: the stream simply ends
    }
  }
}
