// The router service process: wiring only (config, logger, socket, signals).
import { runServiceMain } from '@iapeer/rpc';
import { buildRouterServiceService } from './service';

runServiceMain({ name: 'router', build: buildRouterServiceService });
