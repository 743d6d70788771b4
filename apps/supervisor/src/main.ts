// The supervisor service process: wiring only (config, logger, socket, signals).
import { runServiceMain } from '@iapeer/service-runtime';
import { buildSupervisorService } from './service';

runServiceMain({ name: 'supervisor', build: buildSupervisorService });
