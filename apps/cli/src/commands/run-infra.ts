import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Command } from 'commander';
import { errorMessage, formatIdentity, isPersonality, loadConfig, normalizeIntelligence, resolvePaths, type Intelligence } from '@iapeer/core';
import { createEventLog } from '@iapeer/logclient';
import { createTmuxDriver } from '@iapeer/tmux';
import { peerProfileOrUndefined } from '@iapeer/profiles';
import { CliError } from '../cli-error';
import type { CliIO } from '../io';
import { runAlwaysOn, type AlwaysOnEvent } from '../infra/run-always-on';

/** How long the holder waits for its last lifecycle lines to reach logd on exit. */
const FLUSH_ON_EXIT_MS = 1000;

/** The folder's profile must not name another peer; its intelligence feeds the launch gate (telegram needs natural). */
function readFolderProfile(cwd: string, personality: string): { intelligence?: Intelligence } {
  const raw = peerProfileOrUndefined(cwd);
  // no (readable) profile: the job file names the peer; nothing to cross-check
  if (!raw) return {};
  if (raw.personality !== undefined && raw.personality !== personality) {
    throw new CliError(`${cwd} belongs to peer "${raw.personality}", not "${personality}"; the job's WorkingDirectory is wrong — re-run \`iapeer init\` in the peer's folder`, 1);
  }
  try {
    return raw.intelligence !== undefined ? { intelligence: normalizeIntelligence(raw.intelligence) } : {};
  } catch {
    // an unknown intelligence value: leave the gate to the runtime default rather than refuse to run
    return {};
  }
}

/**
 * `iapeer run-infra <peer> <runtime>`: the entry point the service manager holds for an
 * always-on peer (docs/behaviour.md §7.10). Runs in the peer's folder (the job's
 * WorkingDirectory) and needs none of the four services: an always-on peer keeps
 * running while they restart. Exit 0 when the session dies (the manager restarts it) or
 * after a SIGTERM teardown; 1 when the session cannot be brought up; 2 on bad arguments.
 */
export function registerRunInfra(program: Command, io: CliIO): void {
  program
    .command('run-infra <peer> <runtime>')
    .description('hold an always-on peer\'s session in the foreground (run by launchd/systemd, not by hand)')
    .action(async (peer: string, runtime: string) => {
      if (!isPersonality(peer)) throw new CliError(`invalid peer name ${JSON.stringify(peer)}: lower-case letters, digits and dashes, starting with a letter`, 2);
      // loaded on use: runtimes bring zod (manifest schemas), which other verbs' start-up must not pay
      const { launch, loadRuntimes, readLaunchEnv } = await import('@iapeer/runtimes');
      const paths = resolvePaths(io.env);
      const config = loadConfig(io.env);
      const adapter = loadRuntimes({ paths, env: io.env }).adapters.get(runtime);
      if (!adapter || adapter.kind !== 'router') {
        throw new CliError(`runtime "${runtime}" is not an always-on (router) runtime; run-infra holds telegram or notifier peers only`, 2);
      }
      const profile = readFolderProfile(io.cwd, peer);
      const identity = formatIdentity({ runtime, personality: peer });
      // read once, before anything runs: a bad line stops here (exit 1) and launches nothing (§3.3)
      let launchEnv;
      try {
        launchEnv = readLaunchEnv(io.cwd, runtime);
      } catch (err) {
        throw new CliError(errorMessage(err), 1);
      }
      const tmux = createTmuxDriver({ sockDir: paths.sockDir, baseEnv: io.env });
      const events = createEventLog({ socketPath: paths.serviceSocket('logd'), service: 'run-infra', flushTimeoutMs: FLUSH_ON_EXIT_MS });
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
      const note = (e: AlwaysOnEvent) => {
        io.out(`run-infra ${identity}: ${e.action}${'reason' in e ? ` — ${e.reason}` : ''}`);
        events.emit('lifecycle', { ev: 'infra', identity, ...e });
      };
      try {
        process.exitCode = await runAlwaysOn({
          identity,
          isAlive: () => tmux.isAlive(identity),
          launch: () =>
            launch({
              spec: { cwd: io.cwd, identity, personality: peer, resume: false, env: io.env, paneLog: path.join(paths.paneLogDir, `${identity}.log`), intelligence: profile.intelligence, launchEnv },
              adapter,
              tmux,
              cfg: { ...config, bootDeadlineSecs: 30 },
            }),
          teardown: () => tmux.kill(identity),
          sleep: (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined), // an abort is the stop signal, not an error
          stop: stop.signal,
          recheckMs: config.infraRecheckMs,
          pollMs: config.infraPollMs,
          note,
        });
      } finally {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        await events.close();
      }
    });
}
