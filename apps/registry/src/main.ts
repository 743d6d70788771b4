// The registry service process: wiring only (config, logger, socket, signals).
import { runServiceMain } from '@iapeer/service-runtime';
import { buildRegistryService } from './service';

runServiceMain({ name: 'registry', build: buildRegistryService });
