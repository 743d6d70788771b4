// The logd service process: wiring only (config, logger, socket, signals).
import { runServiceMain } from '@iapeer/rpc';
import { buildLogdService } from './service';

runServiceMain({ name: 'logd', build: buildLogdService });
