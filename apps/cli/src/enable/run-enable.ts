import path from 'node:path';
import { loadConfig, resolvePaths, type IapeerPaths } from '@iapeer/core';
import { runCommand, type CommandRunner } from '@iapeer/servicefiles';
import { CliError } from '../cli-error';
import type { CliIO } from '../io';
import { installPlugin, isPluginRuntime, type RuntimeInstallResult } from './install-plugin';
import { serviceClient } from '../services';
import { createRegistryPeerLookup, type PeerLookup, type EnabledPeer } from './peer-lookup';
import { runPluginSetup, type SetupResult } from './run-setup';

/** `name` or `name@marketplace`; a leading dash would be read as an option by the agent CLIs. */
const PLUGIN_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*(@[A-Za-z0-9][A-Za-z0-9._/-]*)?$/;

export interface EnableDeps {
  lookup?: PeerLookup;
  run?: CommandRunner;
}

export interface EnableReport {
  peer: EnabledPeer;
  plugin: string;
  installs: RuntimeInstallResult[];
  skipped: string[];
  setup: SetupResult;
}

/** Without IAPEER_PLUGIN_MARKETPLACE a bare name is passed as is (claude searches every marketplace; codex needs one). */
export function qualifyPlugin(plugin: string, env: NodeJS.ProcessEnv): string {
  if (!PLUGIN_RE.test(plugin)) throw new CliError(`invalid plugin "${plugin}": expected <name> or <name>@<marketplace> (letters, digits, . _ -)`, 2);
  const marketplace = env.IAPEER_PLUGIN_MARKETPLACE;
  return plugin.includes('@') || !marketplace ? plugin : `${plugin}@${marketplace}`;
}

async function resolvePeer(lookup: PeerLookup, peerArg: string | undefined, cwd: string): Promise<EnabledPeer> {
  if (peerArg) {
    const peer = await lookup.findPeer(peerArg);
    if (!peer) throw new CliError(`peer "${peerArg}" is not registered; check \`iapeer list\``);
    return peer;
  }
  const here = await lookup.peerOfFolder(cwd);
  if (!here) throw new CliError(`no peer given and ${cwd} is not a registered peer folder; pass the peer name: iapeer enable <plugin> <peer>`, 2);
  return here;
}

/** Through the given lookup, else through the registry service (its socket closed afterwards). */
async function lookUpPeer(paths: IapeerPaths, lookup: PeerLookup | undefined, peerArg: string | undefined, cwd: string): Promise<EnabledPeer> {
  if (lookup) return resolvePeer(lookup, peerArg, cwd);
  const registry = serviceClient(paths, 'registry');
  try {
    return await resolvePeer(createRegistryPeerLookup(registry.client), peerArg, cwd);
  } finally {
    registry.close();
  }
}

/** Strips the ambient PEER_* identity: enable acts on another peer's folder (§12). */
function commandEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('PEER_')));
}

/** Installs the plugin for each claude/codex runtime of the peer, then runs its setup unless noSetup. */
export async function enablePlugin(io: CliIO, args: { plugin: string; peer?: string; noSetup: boolean }, deps: EnableDeps = {}): Promise<EnableReport> {
  const paths = resolvePaths(io.env);
  const cfg = loadConfig(io.env);
  const plugin = qualifyPlugin(args.plugin, io.env);
  const peer = await lookUpPeer(paths, deps.lookup, args.peer, io.cwd);
  const agentRuntimes = peer.runtimes.filter(isPluginRuntime);
  const skipped = peer.runtimes.filter((r) => !isPluginRuntime(r));
  if (agentRuntimes.length === 0) {
    throw new CliError(`peer "${peer.personality}" has no claude or codex runtime (it has ${peer.runtimes.join(', ') || 'none'}); capability plugins install into those`);
  }
  const run = deps.run ?? runCommand;
  const env = commandEnv(io.env);
  const installs: RuntimeInstallResult[] = [];
  for (const runtime of agentRuntimes) {
    if (runtime === 'codex' && !plugin.includes('@')) {
      installs.push({ runtime, state: 'failed', scope: 'host config', detail: `codex needs a marketplace: pass ${plugin}@<marketplace> or set IAPEER_PLUGIN_MARKETPLACE` });
      continue;
    }
    installs.push(await installPlugin({ runtime, plugin, peerCwd: peer.cwd, bin: runtime === 'claude' ? cfg.claudeBin : cfg.codexBin, run, env }));
  }
  const anyInstalled = installs.some((i) => i.state !== 'failed');
  const setup: SetupResult = args.noSetup
    ? { state: 'skipped', detail: '--no-setup' }
    : !anyInstalled
      ? { state: 'skipped', detail: 'nothing was installed' }
      : await runPluginSetup({
          pluginName: plugin.split('@')[0],
          peer,
          roots: [paths.pluginsDir, path.join(paths.home, '.claude', 'plugins'), path.join(io.env.CODEX_HOME || path.join(paths.home, '.codex'), 'plugins')],
          run,
          env,
        });
  return { peer, plugin, installs, skipped, setup };
}
