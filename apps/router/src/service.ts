import { createRouterServiceRouter } from '@iapeer/contracts';
import type { ServiceContext } from '@iapeer/rpc';

/** Builds the router router from its parts; side effects come in through ctx. */
export function buildRouterServiceService(ctx: ServiceContext) {
  return { router: createRouterServiceRouter({ health: ctx.health }) };
}
