import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SERVICE_NAMES, type ServiceName } from '@iapeer/core';
import type { BridgeRouter, ConsoleRouter, HealthRouter, LogdRouter, RegistryRouter, RouterServiceRouter, SupervisorRouter } from '@iapeer/contracts';
import { connect, type RpcClient } from '@iapeer/rpc';
import type { Sandbox } from './sandbox';
import { waitFor } from './wait-for';

/** The repo; a bundled caller (a bench in tmp/bench/) sets IAPEER_REPO_ROOT, since its __dirname is elsewhere. */
export const REPO_ROOT = process.env.IAPEER_REPO_ROOT ?? path.resolve(__dirname, '../../..');
export const DIST = path.join(REPO_ROOT, 'dist', 'apps');
export const CLI_BIN = path.join(REPO_ROOT, 'bin', 'iapeer');

interface Routers {
  logd: LogdRouter;
  registry: RegistryRouter;
  supervisor: SupervisorRouter;
  router: RouterServiceRouter;
  bridge: BridgeRouter;
  console: ConsoleRouter;
}

/** Real service processes (the built bundles in dist/) on real sockets in a sandbox. */
export class TestStack {
  readonly children = new Map<ServiceName, ChildProcess>();
  readonly output = new Map<ServiceName, string[]>();
  private readonly clients: { close(): void }[] = [];

  constructor(readonly sandbox: Sandbox) {
    if (!fs.existsSync(path.join(DIST, 'logd', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` before the integration tests');
  }

  /** Starts services (all five by default) and waits until each answers health. */
  async start(names: readonly ServiceName[] = SERVICE_NAMES, extraEnv: Record<string, string> = {}): Promise<void> {
    for (const name of names) this.spawn(name, extraEnv);
    await Promise.all(names.map((n) => this.waitHealthy(n)));
  }

  spawn(name: ServiceName, extraEnv: Record<string, string> = {}): ChildProcess {
    const child = spawn(process.execPath, [path.join(DIST, name, 'main.js')], { env: { ...this.sandbox.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = this.output.get(name) ?? [];
    this.output.set(name, lines);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => lines.push(d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => lines.push(d));
    this.children.set(name, child);
    return child;
  }

  async waitHealthy(name: ServiceName, timeoutMs = 15_000): Promise<void> {
    const { client, close } = connect<HealthRouter>({ service: name, socketPath: this.sandbox.paths.serviceSocket(name), retryMs: 100, waitForMissing: true });
    try {
      await waitFor(async () => (await client.health.query()).ready, `${name} to answer health (output: ${this.output.get(name)?.join('')})`, timeoutMs);
    } finally {
      close();
    }
  }

  /** SIGKILL a service (a crash), wait until it is gone. */
  async kill(name: ServiceName, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }

  async restart(name: ServiceName, extraEnv: Record<string, string> = {}): Promise<void> {
    await this.kill(name);
    this.spawn(name, extraEnv);
    await this.waitHealthy(name);
  }

  client<N extends ServiceName>(name: N, retryMs = 3000): RpcClient<Routers[N]> {
    const c = connect<Routers[N]>({ service: name, socketPath: this.sandbox.paths.serviceSocket(name), retryMs, waitForMissing: true });
    this.clients.push(c);
    return c;
  }

  /** SIGTERM everything, wait for exit; the sandbox dir is removed by the caller. */
  async stop(): Promise<void> {
    for (const c of this.clients.splice(0)) c.close();
    await Promise.all([...this.children.keys()].map((n) => this.kill(n, 'SIGTERM')));
  }
}
