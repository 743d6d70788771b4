import { createLogdRouter } from '@iapeer/contracts';
import type { ServiceContext } from '@iapeer/service-runtime';
import { LogStore } from './log-store';
import { queryLog } from './query';
import { tailLog } from './tail';

/** Builds the logd router from its parts; side effects come in through ctx. */
export function buildLogdService(ctx: ServiceContext, store = new LogStore(ctx.paths.eventLogDir, ctx.config)) {
  return {
    router: createLogdRouter({
      health: ctx.health,
      append: (input) => store.append(input),
      tail: (input, signal) => tailLog(store, input, signal),
      query: (input) => queryLog(store, input),
    }),
    stop: () => store.close(),
  };
}
