// The supervisor service process: wiring only (config, logger, socket, signals).
import { runServiceMain } from '@iapeer/rpc';
import { buildSupervisorService } from './service';

runServiceMain({ name: 'supervisor', build: buildSupervisorService });
