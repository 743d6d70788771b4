// The bridge service process (docs/fleet.md): wiring only.
import { runServiceMain } from '@iapeer/service-runtime';
import { buildBridgeService } from './service';

runServiceMain({ name: 'bridge', build: buildBridgeService });
