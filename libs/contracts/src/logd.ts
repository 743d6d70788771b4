import { healthProcedure, type HealthHandler } from './health';
import { router } from './trpc';

/** What the logd service implements; its router below is the contract clients see. */
export interface LogdHandlers {
  health: HealthHandler;
}

export function createLogdRouter(h: LogdHandlers) {
  return router({
    health: healthProcedure(h.health),
  });
}

export type LogdRouter = ReturnType<typeof createLogdRouter>;
