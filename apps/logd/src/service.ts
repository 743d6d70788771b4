import { createLogdRouter } from '@iapeer/contracts';
import type { ServiceContext } from '@iapeer/rpc';

/** Builds the logd router from its parts; side effects come in through ctx. */
export function buildLogdService(ctx: ServiceContext) {
  return { router: createLogdRouter({ health: ctx.health }) };
}
