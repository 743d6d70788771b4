import fs from 'node:fs';
import path from 'node:path';
import type { RegistryRouter, RouterServiceRouter, SupervisorRouter } from '@iapeer/contracts';
import { SERVICE_NAMES } from '@iapeer/core';
import { connect } from '@iapeer/rpc';
import { installFakeRuntime, makeSandbox, TestStack, waitFor } from '@iapeer/testing';
import { createTmuxDriver, identityOfSocketName } from '@iapeer/tmux';
import { auditDeliveries, auditRegistry, countLandings, processesOfRoot, readLifecycleLines, socketsUnder, unloggedDeaths, type DeliveryAudit } from './audit';
import { runMonkey, type Fault } from './monkey';
import { seededRandom, type ChaosOptions } from './options';
import { runSender, type SendRecord } from './senders';

export interface ChaosReport {
  options: ChaosOptions;
  seconds: number;
  sends: SendRecord[];
  faults: Fault[];
  delivery: DeliveryAudit;
  registryProblems: string[];
  unloggedDeaths: Fault[];
  leftProcesses: Array<{ pid: number; cmd: string }>;
  leftSockets: string[];
}

/**
 * The whole chaos run: a fleet of fake-agent peers on the real four services, clients
 * sending with idempotency keys while the monkey kills services and agents, then a
 * drain (every failed send retried with its key until ok), a clean shutdown, and the audit.
 */
export async function runChaos(opts: ChaosOptions, log: (line: string) => void): Promise<ChaosReport> {
  // separate streams: the monkey's choices do not depend on how many sends happened meanwhile
  const random = seededRandom(opts.seed + 1);
  const monkeyRandom = seededRandom(opts.seed);
  const sb = makeSandbox({
    // reap deaths quickly; a killed agent must not trip the crash-loop guard (the storm kills on purpose)
    IAPEER_SUPERVISE_INTERVAL_MS: '1000',
    IAPEER_CRASHLOOP_MAX: '100000',
    IAPEER_BOOT_DEADLINE_SECS: '60',
  });
  installFakeRuntime(sb);
  const stack = new TestStack(sb);
  const tmux = createTmuxDriver({ sockDir: sb.paths.sockDir, baseEnv: sb.env });
  const started = Date.now();
  let stormOver = false;
  let giveUpAt = Infinity;
  try {
    await stack.start();
    const personalities = Array.from({ length: opts.peers }, (_, i) => `p${String(i).padStart(2, '0')}`);
    const cwds = new Map(personalities.map((p) => [p, path.join(sb.paths.peersDir, p)]));
    const registry = connect<RegistryRouter>({ service: 'registry', socketPath: sb.paths.serviceSocket('registry'), retryMs: 10_000, waitForMissing: true });
    for (const [personality, cwd] of cwds) {
      fs.mkdirSync(cwd, { recursive: true, mode: 0o700 });
      await registry.client.init.mutate({ cwd, personality, runtime: 'fake', description: `chaos peer ${personality}` });
    }
    registry.close();
    log(`chaos: ${opts.peers} peers, ${opts.clients} clients, ${opts.seconds}s, seed ${opts.seed}`);

    const router = () => connect<RouterServiceRouter>({ service: 'router', socketPath: sb.paths.serviceSocket('router'), retryMs: 5000, waitForMissing: true });
    const senders = Array.from({ length: opts.clients }, (_, c) =>
      runSender(c, {
        router,
        from: `fake-${personalities[c]}`,
        targets: personalities.filter((p) => p !== personalities[c]),
        random,
        stopping: () => stormOver,
        giveUpAt: () => giveUpAt,
      }),
    );
    const monkey = runMonkey({ stack, tmux, random: monkeyRandom, everyMs: opts.faultEveryMs, agentShare: opts.agentFaultShare, services: opts.services, stopping: () => stormOver, log });
    await new Promise((r) => setTimeout(r, opts.seconds * 1000));
    stormOver = true;
    giveUpAt = Date.now() + opts.drainMs;
    const faults = await monkey;
    // every service up again for the drain, whatever the monkey left down
    for (const name of SERVICE_NAMES) {
      const child = stack.children.get(name);
      if (!child || child.exitCode !== null || child.signalCode !== null) stack.spawn(name);
      await stack.waitHealthy(name, 30_000);
    }
    const sends = (await Promise.all(senders)).flat();
    const seconds = (Date.now() - started) / 1000;
    log(`chaos: storm over; ${sends.length} sends, drained in ${((Date.now() - giveUpAt + opts.drainMs) / 1000).toFixed(1)}s`);

    // one supervise pass now, then wait (bounded) for every death's decision line to reach lifecycle.log
    const supervisor = connect<SupervisorRouter>({ service: 'supervisor', socketPath: sb.paths.serviceSocket('supervisor'), retryMs: 10_000, waitForMissing: true });
    await supervisor.client.tick.mutate();
    let missing: Fault[] = [];
    await waitFor(
      () => (missing = unloggedDeaths(faults, readLifecycleLines(sb.paths.eventLogDir))).length === 0,
      'a lifecycle decision line for every agent death',
      20_000,
    ).catch(() => undefined); // reported below as unloggedDeaths, with the deaths named
    const delivery = auditDeliveries(sends, countLandings(cwds));
    const registryProblems = auditRegistry(sb.paths.peersFile, personalities);

    // clean shutdown: stop every peer, then the services; nothing of this root may remain
    await supervisor.client.stop.mutate({ all: true });
    supervisor.close();
    await stack.stop();
    let leftProcesses = processesOfRoot(sb.root);
    let leftSockets = socketsUnder(sb.root);
    await waitFor(() => (leftProcesses = processesOfRoot(sb.root)).length === 0 && (leftSockets = socketsUnder(sb.root)).length === 0, 'nothing left behind', 10_000).catch(
      () => undefined, // reported below with the pids and paths
    );
    return { options: opts, seconds, sends, faults, delivery, registryProblems, unloggedDeaths: missing, leftProcesses, leftSockets };
  } finally {
    stormOver = true;
    await stack.stop().catch(() => undefined); // already stopped on the happy path
    // every tmux server of this root, live or holding a dead pane, so a failed run leaves nothing either
    const socketFiles = fs.existsSync(sb.paths.sockDir) ? fs.readdirSync(sb.paths.sockDir) : [];
    for (const id of socketFiles.map(identityOfSocketName)) if (id) await tmux.kill(id).catch(() => undefined);
    if (process.env.CHAOS_KEEP_SANDBOX !== '1') sb.cleanup();
    else log(`chaos: sandbox kept at ${sb.dir}`);
  }
}
