import { healthProcedure, type HealthHandler } from './health';
import { router } from './trpc';

/** What the registry service implements; its router below is the contract clients see. */
export interface RegistryHandlers {
  health: HealthHandler;
}

export function createRegistryRouter(h: RegistryHandlers) {
  return router({
    health: healthProcedure(h.health),
  });
}

export type RegistryRouter = ReturnType<typeof createRegistryRouter>;
