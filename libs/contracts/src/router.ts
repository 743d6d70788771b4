import { healthProcedure, type HealthHandler } from './health';
import { router } from './trpc';

/** What the router service implements; its router below is the contract clients see. */
export interface RouterServiceHandlers {
  health: HealthHandler;
}

export function createRouterServiceRouter(h: RouterServiceHandlers) {
  return router({
    health: healthProcedure(h.health),
  });
}

export type RouterServiceRouter = ReturnType<typeof createRouterServiceRouter>;
