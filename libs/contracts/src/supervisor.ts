import { healthProcedure, type HealthHandler } from './health';
import { router } from './trpc';

/** What the supervisor service implements; its router below is the contract clients see. */
export interface SupervisorHandlers {
  health: HealthHandler;
}

export function createSupervisorRouter(h: SupervisorHandlers) {
  return router({
    health: healthProcedure(h.health),
  });
}

export type SupervisorRouter = ReturnType<typeof createSupervisorRouter>;
