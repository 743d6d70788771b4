/**
 * Two iapeer hosts on one machine (docs/fleet.md): a real `nats-server -js` on a
 * temporary store and a free port, and two sandboxes (own IAPEER_ROOT, ports,
 * IAPEER_HOST) each running the five services with the bridge, the fake agent as runtime.
 * Each host logs in to NATS with its own nkey, the same key that signs what it forwards;
 * the server's permissions let a host write only its own roster key.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createUser } from '@nats-io/nkeys';
import { ALL_SERVICE_NAMES } from '@iapeer/core';
import { installFakeRuntime, makeSandbox, runCli, TestStack, waitFor, type Sandbox } from '@iapeer/testing';

export const NATS_SERVER = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface HostKeys {
  host: string;
  seed: string;
  publicKey: string;
}

export function makeHostKeys(host: string): HostKeys {
  const pair = createUser();
  return { host, seed: new TextDecoder().decode(pair.getSeed()), publicKey: pair.getPublicKey() };
}

/** A nats-server with JetStream; `kill` + `start` keep the port and the store (a restart). */
export class NatsServer {
  child?: ChildProcess;
  output: string[] = [];
  readonly url: string;
  private readonly conf: string;

  constructor(
    readonly dir: string,
    readonly port: number,
    users: HostKeys[],
  ) {
    this.url = `nats://127.0.0.1:${port}`;
    this.conf = path.join(dir, 'nats.conf');
    const user = (u: HostKeys) => `    {
      nkey: ${u.publicKey}
      permissions: {
        publish: { allow: ["$JS.API.>", "$JS.ACK.>", "_INBOX.>", "iapeer.fleet.send.*", "iapeer.fleet.reply.*.>", "$KV.iapeer_results.>", "$KV.iapeer_roster.${u.host}"] }
        subscribe: { allow: [">"] }
      }
    }`;
    fs.writeFileSync(
      this.conf,
      `listen: "127.0.0.1:${port}"\njetstream { store_dir: "${path.join(dir, 'js')}" }\nauthorization {\n  users: [\n${users.map(user).join('\n')}\n  ]\n}\n`,
    );
  }

  async start(): Promise<void> {
    const child = spawn(NATS_SERVER, ['-c', this.conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const grab = (d: Buffer) => this.output.push(d.toString());
    child.stdout!.on('data', grab);
    child.stderr!.on('data', grab);
    await waitFor(() => this.output.join('').includes('Server is ready'), `nats-server ready (${this.output.join('')})`, 15_000);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }
}

export interface FleetHostWorld {
  host: string;
  keys: HostKeys;
  sb: Sandbox;
  stack: TestStack;
}

/** One host: seed in place, five services up (bridge last), peers created with the fake runtime. */
export async function startHost(keys: HostKeys, natsUrl: string, peers: string[], extraEnv: Record<string, string> = {}, agentPath?: string): Promise<FleetHostWorld> {
  const sb = makeSandbox({
    IAPEER_SUPERVISE_INTERVAL_MS: '3600000',
    IAPEER_MCP_IDENTITY: 'header-only',
    IAPEER_HOST: keys.host,
    IAPEER_NATS_URL: natsUrl,
    IAPEER_NATS_AUTH: 'nkey',
    IAPEER_FLEET_HEARTBEAT_MS: '500',
    ...extraEnv,
  });
  // a bundled caller (a bench) names the fake agent: its own __dirname is elsewhere
  installFakeRuntime(sb, agentPath ? { agentPath } : {});
  const seedFile = path.join(sb.paths.serviceStateDir, 'bridge', 'host.nk');
  fs.mkdirSync(path.dirname(seedFile), { recursive: true, mode: 0o700 });
  fs.chmodSync(path.join(sb.root), 0o700);
  for (let d = path.dirname(seedFile); d.startsWith(sb.root) && d !== sb.root; d = path.dirname(d)) fs.chmodSync(d, 0o700);
  fs.writeFileSync(seedFile, keys.seed + '\n', { mode: 0o600 });
  const stack = new TestStack(sb);
  // a generous health deadline: two hosts are ten service processes on a shared machine
  for (const name of ALL_SERVICE_NAMES) stack.spawn(name);
  await Promise.all(ALL_SERVICE_NAMES.map((n) => stack.waitHealthy(n, 60_000)));
  for (const name of peers) {
    const r = await runCli(['create', name, '--runtime', 'fake', '--description', `${name} on ${keys.host}`], sb.env);
    if (r.code !== 0) throw new Error(`iapeer create ${name} on ${keys.host} failed: ${r.stderr}`);
  }
  return { host: keys.host, keys, sb, stack };
}

export async function stopHost(h: FleetHostWorld | undefined): Promise<void> {
  if (!h) return;
  await runCli(['stop', '--all'], h.sb.env).catch(() => undefined);
  await h.stack.stop();
  h.sb.cleanup();
}

/**
 * A raw NATS client logged in as a host (the forgery tests play a host that misbehaves).
 * transport-node's core re-exports sit behind a subpath `moduleResolution: node` cannot
 * type, hence the cast (the bridge does the same in apps/bridge/src/nats-core.ts).
 */
import * as transport from '@nats-io/transport-node';
import type * as core from '@nats-io/nats-core/lib/mod';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';

const nats = transport as unknown as typeof core & { connect(opts: core.ConnectionOptions): Promise<core.NatsConnection> };

export async function connectAs(url: string, keys: HostKeys) {
  const nc = await nats.connect({ servers: url, authenticator: nats.nkeyAuthenticator(new TextEncoder().encode(keys.seed)) });
  const js = jetstream(nc);
  const kvm = new Kvm(js);
  return { nc, js, jsm: await jetstreamManager(nc), results: await kvm.open('iapeer_results'), roster: await kvm.open('iapeer_roster'), headers: () => nats.headers() };
}

/** A NATS server and two hosts on it: `hosta` with alice, `hostb` with bob. */
export interface TwoHosts {
  dir: string;
  nats: NatsServer;
  a: FleetHostWorld;
  b: FleetHostWorld;
}

/** Starts the server and both hosts, and waits until A's roster shows both up with their peers. */
export async function startTwoHosts(extraEnv: Record<string, string> = {}): Promise<TwoHosts> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-nats-'));
  const keysA = makeHostKeys('hosta');
  const keysB = makeHostKeys('hostb');
  const nats = new NatsServer(dir, await freePort(), [keysA, keysB]);
  await nats.start();
  const a = await startHost(keysA, nats.url, ['alice'], extraEnv);
  const b = await startHost(keysB, nats.url, ['bob'], extraEnv);
  await waitFor(async () => {
    const r = await runCli(['list', '--fleet', '--json'], a.sb.env);
    const hosts = r.code === 0 ? (JSON.parse(r.stdout) as { host: string; up: boolean; peers: unknown[] }[]) : [];
    return hosts.filter((h) => h.up && h.peers.length > 0).length === 2;
  }, 'both hosts up with their peers in the roster', 30_000, 200);
  return { dir, nats, a, b };
}

export async function stopTwoHosts(w: TwoHosts | undefined): Promise<void> {
  if (!w) return;
  await Promise.all([stopHost(w.a), stopHost(w.b)]);
  await w.nats.kill('SIGTERM');
  fs.rmSync(w.dir, { recursive: true, force: true });
}
