// The router service process: wiring only (config, logger, socket, signals).
import { runServiceMain } from '@iapeer/service-runtime';
import { buildRouterServiceService } from './service';

runServiceMain({ name: 'router', build: buildRouterServiceService });
