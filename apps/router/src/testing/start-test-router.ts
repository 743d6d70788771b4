/**
 * The real router service (real socket, real MCP HTTP listener on a free port) over
 * a FakeWorld's in-memory ports, in a throw-away sandbox root.
 */
import fs from 'node:fs';
import pino from 'pino';
import { startService, type RunningService } from '@iapeer/service-runtime';
import { makeSandbox, type Sandbox } from '@iapeer/testing';
import type { RouterDiscovery } from '../discovery/router-json';
import { createRouterServiceBuilder } from '../service';
import type { FakeWorld } from './in-memory-ports';

export interface TestRouter {
  running: RunningService;
  discovery: RouterDiscovery;
  sandbox: Sandbox;
  stop(): Promise<void>;
}

export async function startTestRouter(world: FakeWorld, opts: { sandbox?: Sandbox; env?: Record<string, string> } = {}): Promise<TestRouter> {
  const sandbox = opts.sandbox ?? makeSandbox();
  const env = { ...sandbox.env, ...opts.env };
  const deps = world.deps();
  const running = await startService({
    name: 'router',
    env,
    logger: pino({ level: 'silent' }),
    build: createRouterServiceBuilder({
      directory: deps.directory,
      supervisor: deps.supervisor,
      sessions: deps.sessions,
      terminal: deps.terminal,
      envelope: deps.envelope,
      clock: deps.clock,
      events: { emit: deps.events.emit, flush: async () => undefined, close: async () => undefined },
    }),
  });
  const discovery = JSON.parse(fs.readFileSync(sandbox.paths.routerJson, 'utf8')) as RouterDiscovery;
  return { running, discovery, sandbox, stop: () => running.stop() };
}
