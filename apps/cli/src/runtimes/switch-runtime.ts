import type { Peer } from '@iapeer/contracts';
import { IapeerError, assertRuntime, errorMessage, isInfraRuntime, type IapeerPaths } from '@iapeer/core';
import { CliError } from '../cli-error';
import type { CliIO } from '../io';
import { isKnownRuntime } from '../commands/folder-launch';
import { enrolPeer } from '../peers/enrol';
import { withRegistry } from '../peers/registry-client';
import { stripPeerEnv } from '../peers/resolve-runtime';

export type SwitchVerb = 'add-runtime' | 'default-runtime';

/** What happened to one peer; `failed` and a refusal of an explicit --peer end in exit 1. */
export type SwitchOutcome = 'added' | 'declared' | 'default' | 'already-default' | 'skipped' | 'failed';

export interface SwitchRow {
  personality: string;
  outcome: SwitchOutcome;
  detail: string;
}

export interface SwitchSelector {
  peer?: string;
  all?: boolean;
}

/**
 * The runtime a fleet switch may name: valid, a TUI runtime (always-on ones need their own
 * peer and job), and one this host knows (built in, or `runtimes/<name>/runtime.json`).
 */
export function assertSwitchableRuntime(runtime: string, env: NodeJS.ProcessEnv): string {
  assertRuntime(runtime);
  if (isInfraRuntime(runtime)) {
    throw new IapeerError('RUNTIME_ALWAYS_ON', `"${runtime}" is an always-on runtime: it runs as its own peer under a service job, not as a second runtime of an agent — create one with \`iapeer create <name> --runtime ${runtime}\`${runtime === 'telegram' ? ', or give a peer a bot with `iapeer connect telegram <peer>`' : ''}`, { data: { runtime } });
  }
  if (!isKnownRuntime(runtime, env)) {
    throw new IapeerError('RUNTIME_UNAVAILABLE', `unknown runtime "${runtime}": not built in (claude, codex) and no runtimes/${runtime}/runtime.json manifest`, { data: { runtime } });
  }
  return runtime;
}

/**
 * `add-runtime` / `default-runtime` (docs/behaviour.md §10): declare a runtime for one
 * peer or the whole fleet, or make it the default. The registry writes each profile and
 * record (its `init`, which unions runtimes); the CLI then writes the MCP client config the
 * runtime needs, as `init` does. Cross-peer work: the caller's PEER_* never leak in (§12).
 * Always-on peers are skipped under --all and refused by name.
 */
export async function switchRuntime(io: CliIO, verb: SwitchVerb, runtime: string, sel: SwitchSelector): Promise<SwitchRow[]> {
  if (Boolean(sel.peer) === Boolean(sel.all)) throw new CliError('name one peer with --peer <name>, or pass --all (not both)', 2);
  const env = stripPeerEnv(io.env);
  assertSwitchableRuntime(runtime, env);
  const clean: CliIO = { ...io, env };
  return withRegistry(clean, async (registry, paths) => {
    let peers: Peer[];
    if (sel.peer) {
      const peer = await registry.get.query({ personality: sel.peer });
      if (!peer) throw new IapeerError('PEER_NOT_FOUND', `peer "${sel.peer}" is not registered; check \`iapeer list\``, { data: { personality: sel.peer } });
      if (isInfraRuntime(peer.default_runtime)) {
        throw new IapeerError('RUNTIME_ALWAYS_ON', `peer "${peer.personality}" is an always-on ${peer.default_runtime} peer; its runtime is its job's — ${verb} switches agent peers only`, { data: { personality: peer.personality } });
      }
      peers = [peer];
    } else {
      peers = (await registry.list.query()).peers;
    }
    const rows: SwitchRow[] = [];
    for (const peer of peers) rows.push(await switchOne(clean, registry, paths, verb, runtime, peer, Boolean(sel.peer)));
    return rows;
  });
}

type Registry = Parameters<Parameters<typeof withRegistry>[1]>[0];

async function switchOne(io: CliIO, registry: Registry, paths: IapeerPaths, verb: SwitchVerb, runtime: string, peer: Peer, named: boolean): Promise<SwitchRow> {
  const row = (outcome: SwitchOutcome, detail: string): SwitchRow => ({ personality: peer.personality, outcome, detail });
  if (isInfraRuntime(peer.default_runtime)) return row('skipped', `skipped (always-on ${peer.default_runtime} peer)`);
  if (verb === 'add-runtime' && peer.runtimes.includes(runtime)) return row('declared', `${runtime} already declared`);
  if (verb === 'default-runtime' && peer.default_runtime === runtime) return row('already-default', `${runtime} is already the default`);
  try {
    const input = verb === 'add-runtime' ? { cwd: peer.cwd, runtimes: [runtime] } : { cwd: peer.cwd, runtime };
    const r = await enrolPeer(io, registry, paths, input);
    const runtimes = r.peer.runtimes.join(', ');
    return verb === 'add-runtime' ? row('added', `added ${runtime} (runtimes: ${runtimes})`) : row('default', `default ${runtime}${peer.runtimes.includes(runtime) ? '' : ', added'} (runtimes: ${runtimes})`);
  } catch (err) {
    if (named) throw err;
    return row('failed', `failed — ${errorMessage(err)}`);
  }
}
