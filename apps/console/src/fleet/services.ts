/** The console's typed clients of the four services it reads and acts through. */
import type { TRPCClient } from '@trpc/client';
import type { LogdRouter, RegistryRouter, RouterServiceRouter, SupervisorRouter } from '@iapeer/contracts';

export interface ServiceClients {
  registry: TRPCClient<RegistryRouter>;
  supervisor: TRPCClient<SupervisorRouter>;
  router: TRPCClient<RouterServiceRouter>;
  logd: TRPCClient<LogdRouter>;
}

export const WATCHED_SERVICES = ['logd', 'registry', 'supervisor', 'router'] as const;
export type WatchedService = (typeof WATCHED_SERVICES)[number];
