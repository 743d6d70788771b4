import { createRegistryRouter } from '@iapeer/contracts';
import type { ServiceContext } from '@iapeer/rpc';

/** Builds the registry router from its parts; side effects come in through ctx. */
export function buildRegistryService(ctx: ServiceContext) {
  return { router: createRegistryRouter({ health: ctx.health }) };
}
