// The logd service process: wiring only (config, logger, socket, signals).
import { loadConfig, resolvePaths } from '@iapeer/core';
import { runServiceMain } from '@iapeer/service-runtime';
import { LogStore } from './log-store';
import { createOwnLogger } from './own-logger';
import { buildLogdService } from './service';

const store = new LogStore(resolvePaths(process.env).eventLogDir, loadConfig(process.env));
runServiceMain({ name: 'logd', logger: createOwnLogger(store), build: (ctx) => buildLogdService(ctx, store) });
