import { resolveCaller } from '../caller/resolve-caller';
import { handleSend } from '../send/handle-send';
import type { SendPipelineDeps } from '../send/handle-send';
import type { FakeWorld } from './in-memory-ports';

/** A world with a few registered peers: boris (claude), alice (claude+codex), tg (telegram), bot-owner (claude with a telegram face). */
export function seedWorld(world: FakeWorld): void {
  world.addPeer({ personality: 'boris' });
  world.addPeer({ personality: 'alice', runtimes: ['claude', 'codex'] });
  world.addPeer({ personality: 'tg', default_runtime: 'telegram', runtimes: ['telegram'], intelligence: 'natural' });
  world.addPeer({ personality: 'bot-owner', interfaces: { telegram: { bot: 'owner_bot' } } });
}

/** A CLI-style send from `from` through the whole pipeline (caller check, idempotency, log). */
export function sendFrom(world: FakeWorld, from: string | undefined, args: unknown, deps: SendPipelineDeps = world.deps()) {
  return handleSend({ path: 'cli', claimed: from, authenticate: () => resolveCaller(from, deps.directory, 'from'), args }, deps);
}
