import { sweepStaleTempFiles } from './file/registry-writer';
import { createRegistryRouter, type SupervisorRouter } from '@iapeer/contracts';
import { connect } from '@iapeer/rpc';
import type { ServiceContext } from '@iapeer/service-runtime';
import { supervisorHints } from './adapters/supervisor-hints';
import { createRegistryStore } from './registry-store';

/** Builds the registry router from its parts; side effects come in through ctx. */
export function buildRegistryService(ctx: ServiceContext) {
  const swept = sweepStaleTempFiles(ctx.paths.root);
  if (swept.length > 0) ctx.logger.warn({ swept }, 'removed temp files of registry writers that died mid-write');
  // the supervisor is asked only by a rebuild of a damaged file (its markers are one source)
  const supervisor = connect<SupervisorRouter>({ service: 'supervisor', socketPath: ctx.paths.serviceSocket('supervisor'), retryMs: 1000 });
  const store = createRegistryStore(ctx.paths, ctx.logger, supervisorHints(supervisor.client));
  return {
    router: createRegistryRouter({ health: ctx.health, ...store }),
    // answer every queued write before the process exits (SIGTERM drains, never drops)
    stop: async () => {
      await store.queue.idle();
      ctx.logger.info({ commits: store.queue.stats }, 'registry queue drained');
      supervisor.close();
    },
  };
}
