import { sweepStaleTempFiles } from './file/registry-writer';
import { createRegistryRouter } from '@iapeer/contracts';
import type { ServiceContext } from '@iapeer/service-runtime';
import { createRegistryStore } from './registry-store';

/** Builds the registry router from its parts; side effects come in through ctx. */
export function buildRegistryService(ctx: ServiceContext) {
  const swept = sweepStaleTempFiles(ctx.paths.root);
  if (swept.length > 0) ctx.logger.warn({ swept }, 'removed temp files of registry writers that died mid-write');
  const store = createRegistryStore(ctx.paths, ctx.logger);
  return {
    router: createRegistryRouter({ health: ctx.health, ...store }),
    // answer every queued write before the process exits (SIGTERM drains, never drops)
    stop: async () => {
      await store.queue.idle();
      ctx.logger.info({ commits: store.queue.stats }, 'registry queue drained');
    },
  };
}
