import fs from 'node:fs';
import path from 'node:path';
import { SERVICE_NAMES, type ServiceName } from '@iapeer/core';
import { iapeerCodeOf } from '@iapeer/rpc';
import { installFakeRuntime, makeSandbox, readFakeTranscript, runCli, TestStack, waitFor, type Sandbox } from '@iapeer/testing';

/** Every call must settle within this: the client's 3 s retry plus the callee's own retries of its dependencies, plus a delivery. */
const CALL_BOUND_MS = 20_000;

type Op = 'send' | 'list' | 'wake';
interface Outcome {
  op: Op;
  /** 'ok', an iapeer error code, 'hung' (the bound passed) or 'untyped: <message>'. */
  result: string;
  /** Which restart phase the call ran in. */
  phase: string;
}

/**
 * A client that loops send / list / wake against the real services, each call with a
 * deadline, recording what each one did. Sends carry a unique topic (delivery.log shows
 * topics) and an idempotency key.
 */
class LoadLoop {
  readonly outcomes: Outcome[] = [];
  /** Topic → idempotency key of every send the router acknowledged. */
  readonly ackedSends = new Map<string, string>();
  ackedWakes = 0;
  rounds = 0;
  phase = 'warm-up';
  private stopped = false;
  private done: Promise<void> | undefined;

  constructor(private readonly stack: TestStack) {}

  start(): void {
    const router = this.stack.client('router').client;
    const registry = this.stack.client('registry').client;
    const supervisor = this.stack.client('supervisor').client;
    this.done = (async () => {
      for (let n = 0; !this.stopped; n++) {
        const topic = `restart-${n}`;
        const key = `key-${n}`;
        if (await this.call('send', () => router.send.mutate({ from: 'fake-alice', personality: 'bob', message: `load message ${n}`, topic, idempotencyKey: key }))) this.ackedSends.set(topic, key);
        await this.call('list', () => registry.list.query());
        const wake = await this.call('wake', () => supervisor.wake.mutate({ personality: 'bob', task: '' }));
        if (wake) this.ackedWakes++;
        this.rounds++;
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  /** Waits until `n` more full rounds have run (whatever their outcomes). */
  async rounds_(n: number, what: string): Promise<void> {
    const target = this.rounds + n;
    await waitFor(() => this.rounds >= target, `${n} load rounds ${what}`, 4 * CALL_BOUND_MS);
  }

  /** Runs one call under the bound; true when it succeeded. A FAILED wake answer counts by its code. */
  private async call(op: Op, fn: () => Promise<unknown>): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), CALL_BOUND_MS)));
    let result: string;
    try {
      const r = await Promise.race([fn(), hung]);
      if (r === 'hung') result = 'hung';
      else if (op === 'wake' && (r as { status: string }).status === 'FAILED') result = (r as { code?: string }).code ?? 'FAILED without a code';
      else result = 'ok';
    } catch (err) {
      result = iapeerCodeOf(err) ?? `untyped: ${(err as Error).message}`;
    } finally {
      clearTimeout(timer);
    }
    this.outcomes.push({ op, result, phase: this.phase });
    return result === 'ok';
  }
}

// Issue 8 item 2: each service restarts on its own (SIGKILL, then started again) while a
// client keeps calling; every call succeeds or fails with the typed SERVICE_UNAVAILABLE
// within its bound, and nothing acknowledged before a kill is lost.
describe('independent restarts (all four services, real tmux, a client under load)', () => {
  let sb: Sandbox;
  let stack: TestStack;
  let load: LoadLoop;
  const bobCwd = () => path.join(sb.paths.peersDir, 'bob');
  const logFile = (name: string) => path.join(sb.paths.eventLogDir, `${name}.log`);
  const readLog = (name: string) => (fs.existsSync(logFile(name)) ? fs.readFileSync(logFile(name), 'utf8') : '');
  const deliveredTopics = () => new Set([...readLog('delivery').matchAll(/ ok=true .*?topic=(restart-\d+)/g)].map((m) => m[1]));
  // storm protection folds identical wake lines (the live fast path) into one line with
  // repeated=N: such a line stands for N wakes
  const wakeLines = () =>
    readLog('lifecycle')
      .split('\n')
      .filter((l) => l.includes(' ev=wake ') && l.includes('identity=fake-bob'))
      .reduce((n, l) => n + Number(/ repeated=(\d+)/.exec(l)?.[1] ?? 1), 0);
  const registryFile = () => JSON.parse(fs.readFileSync(path.join(sb.paths.root, 'peers-profiles.json'), 'utf8'));

  /** SIGKILL one service, let the client run into the gap, start it again, and let the client run on it. */
  async function restart(name: ServiceName): Promise<void> {
    load.phase = `${name}-down`;
    await stack.kill(name);
    // two rounds: the one in flight at the kill, then at least one made wholly in the gap
    await load.rounds_(2, `with ${name} down`);
    stack.spawn(name);
    await stack.waitHealthy(name);
    load.phase = `${name}-back`;
    await load.rounds_(2, `after ${name} came back`);
  }

  beforeAll(async () => {
    sb = makeSandbox({ IAPEER_SUPERVISE_INTERVAL_MS: '3600000' });
    installFakeRuntime(sb);
    stack = new TestStack(sb);
    await stack.start();
    for (const name of ['alice', 'bob']) expect((await runCli(['create', name, '--runtime', 'fake'], sb.env)).code).toBe(0);
    // bob is woken once, so the loop's wakes take the live fast path
    expect((await runCli(['send', 'bob', '--from', 'fake-alice', '--message', 'wake up'], sb.env)).code).toBe(0);
    load = new LoadLoop(stack);
    load.start();
    await load.rounds_(2, 'warming up');
  }, 120_000);

  afterAll(async () => {
    await load?.stop();
    await runCli(['stop', '--all'], sb.env).catch(() => undefined);
    await stack.stop();
    sb.cleanup();
  });

  it('registry: a peer registered before the kill is still in peers-profiles.json and in list', async () => {
    expect((await runCli(['create', 'carol', '--runtime', 'fake'], sb.env)).code).toBe(0);
    await restart('registry');
    expect(registryFile().peers.map((p: { personality: string }) => p.personality)).toEqual(['alice', 'bob', 'carol']);
    const { client } = stack.client('registry');
    expect((await client.list.query()).peers.map((p) => p.personality)).toEqual(expect.arrayContaining(['alice', 'bob', 'carol']));
  }, 180_000);

  it('supervisor: bob\'s .session survives and the restarted supervisor re-adopts the live session', async () => {
    const marker = path.join(sb.paths.lifecycleDir, 'fake-bob.session');
    expect(fs.existsSync(marker)).toBe(true);
    const wokeAt = JSON.parse(fs.readFileSync(marker, 'utf8')).wokeAt;
    await restart('supervisor');
    const { client } = stack.client('supervisor');
    const [row] = await client.state.query({ personality: 'bob' });
    expect(row).toMatchObject({ identity: 'fake-bob', status: 'live' });
    expect(row.markers.session).not.toBeNull();
    // a tick after the restart supervises bob as alive: nothing is reaped or relaunched
    const tick = await client.tick.mutate();
    expect(tick.outcomes.find((o) => o.identity === 'fake-bob')?.action).toBe('alive');
    expect(new Date(JSON.parse(fs.readFileSync(marker, 'utf8')).wokeAt).getTime()).toBeGreaterThanOrEqual(new Date(wokeAt).getTime());
  }, 180_000);

  it('router: it keeps only what it persists — a keyed send acknowledged before the kill is replayed, never delivered twice', async () => {
    const acked = [...load.ackedSends.entries()];
    expect(acked.length).toBeGreaterThan(0);
    const [topic, key] = acked[acked.length - 1];
    const n = Number(topic.split('-')[1]);
    // every acknowledged send's delivery line is in logd's file before the router dies
    await waitFor(() => acked.every(([t]) => deliveredTopics().has(t)), 'the delivery lines of the acknowledged sends');
    await restart('router');
    const { client } = stack.client('router');
    const again = await client.send.mutate({ from: 'fake-alice', personality: 'bob', message: `load message ${n}`, topic, idempotencyKey: key });
    expect(again).toMatchObject({ ok: true, delivered_to: { personality: 'bob', runtime: 'fake' } });
    await waitFor(() => readLog('delivery').includes(`topic=${topic} replay=true`), 'the replayed delivery line');
    const body = new RegExp(`load message ${n}(?!\\d)`);
    const copies = readFakeTranscript(bobCwd()).filter((r) => r.type === 'message' && body.test(r.text ?? ''));
    expect(copies).toHaveLength(1);
  }, 180_000);

  it('logd: lines written before the kill stay, and lines of operations acknowledged while it was down arrive after it is back', async () => {
    const wakesBefore = load.ackedWakes;
    const linesBefore = wakeLines();
    await restart('logd');
    await load.stop();
    const acked = [...load.ackedSends.keys()];
    await waitFor(() => acked.every((t) => deliveredTopics().has(t)), `a delivery line for each of the ${acked.length} acknowledged sends`, 30_000);
    await waitFor(() => wakeLines() >= linesBefore + (load.ackedWakes - wakesBefore), 'an ev=wake line for each acknowledged wake', 30_000);
  }, 180_000);

  it('every call either succeeded or failed with the typed SERVICE_UNAVAILABLE within its bound; nothing hung', () => {
    const bad = load.outcomes.filter((o) => o.result !== 'ok' && o.result !== 'SERVICE_UNAVAILABLE');
    expect(bad).toEqual([]);
    for (const op of ['send', 'list', 'wake'] as const) expect(load.outcomes.filter((o) => o.op === op && o.result === 'ok').length).toBeGreaterThan(0);
    // the gaps were real: the call that needs the killed service directly failed, typed
    const failedIn = (phase: string, op: Op) => load.outcomes.some((o) => o.phase === phase && o.op === op && o.result === 'SERVICE_UNAVAILABLE');
    expect(failedIn('registry-down', 'list')).toBe(true);
    expect(failedIn('supervisor-down', 'wake')).toBe(true);
    expect(failedIn('router-down', 'send')).toBe(true);
    // logd down fails nothing: every producer buffers its lines until logd is back
    expect(load.outcomes.filter((o) => o.phase === 'logd-down').map((o) => o.result).every((r) => r === 'ok')).toBe(true);
    // each service came back to full service: the calls after each restart succeeded
    for (const name of ['registry', 'supervisor', 'router', 'logd']) {
      const back = load.outcomes.filter((o) => o.phase === `${name}-back`);
      expect(back.slice(-3).map((o) => o.result)).toEqual(['ok', 'ok', 'ok']);
    }
  });

  it('no service needs another to start: in reverse order, one at a time, each answers health while its dependencies are down, and waits for them without exiting', async () => {
    for (const name of [...SERVICE_NAMES].reverse()) await stack.kill(name, 'SIGTERM');
    const started: ServiceName[] = [];
    for (const name of ['router', 'supervisor', 'registry', 'logd'] as const) {
      const child = stack.spawn(name);
      const { client, close } = stack.client(name, 100);
      try {
        const health = await waitFor(async () => client.health.query() as Promise<{ name: string; pid: number }>, `${name} to answer health while ${SERVICE_NAMES.filter((s) => s !== name && !started.includes(s)).join(', ')} are down`, 15_000);
        expect(health).toMatchObject({ name, pid: child.pid });
      } finally {
        close();
      }
      started.push(name);
    }
    // the early starters waited for their dependencies instead of crash-looping: same processes, still running
    for (const name of started) expect(stack.children.get(name)!.exitCode).toBeNull();
    const r = await runCli(['send', 'bob', '--from', 'fake-alice', '--message', 'after a cold start in reverse order', '--json'], sb.env);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, delivered_to: { personality: 'bob' } });
  }, 120_000);
});
