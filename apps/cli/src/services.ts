import type { BridgeRouter, ConsoleRouter, LogdRouter, RegistryRouter, RouterServiceRouter, SupervisorRouter } from '@iapeer/contracts';
import { SERVICE_NAMES, type IapeerPaths, type ServiceName } from '@iapeer/core';
import { connect, type RpcClient } from '@iapeer/rpc';

export interface ServiceRouters {
  logd: LogdRouter;
  registry: RegistryRouter;
  supervisor: SupervisorRouter;
  router: RouterServiceRouter;
  bridge: BridgeRouter;
  console: ConsoleRouter;
}

/** A client of one service; the CLI fails fast when it is not running. */
export function serviceClient<N extends ServiceName>(paths: IapeerPaths, name: N, retryMs = 3000): RpcClient<ServiceRouters[N]> {
  return connect<ServiceRouters[N]>({ service: name, socketPath: paths.serviceSocket(name), retryMs });
}

export { SERVICE_NAMES };
