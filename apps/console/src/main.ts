// The console service process: wiring only (config, logger, socket, signals).
import { runServiceMain } from '@iapeer/service-runtime';
import { buildConsoleService } from './service';

runServiceMain({ name: 'console', build: buildConsoleService });
