import { createSupervisorRouter } from '@iapeer/contracts';
import type { ServiceContext } from '@iapeer/rpc';

/** Builds the supervisor router from its parts; side effects come in through ctx. */
export function buildSupervisorService(ctx: ServiceContext) {
  return { router: createSupervisorRouter({ health: ctx.health }) };
}
