import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { SERVICE_NAMES, type ServiceName } from '@iapeer/core';
import { installFakeRuntime, makeSandbox, TestStack, type Sandbox } from '@iapeer/testing';
import { fuzzRuns, inputsLike } from './fuzz/arbitraries';
import { callProcedure, type FuzzedClient, type ProcedureKind } from './fuzz/call-procedure';
import { diffSnapshots, snapshotFiles } from './fuzz/snapshot';

type ServiceClient = ReturnType<TestStack['client']>['client'];
/** The fuzzer addresses procedures by a name it draws, so it sees a client as a map of procedures. */
const fuzzed = (c: ServiceClient | undefined): FuzzedClient => c as unknown as FuzzedClient;

// Fuzzed contracts (issue 9): generated invalid and edge-case inputs at every procedure of
// every service, over the real sockets. Each call gets a valid answer or a typed error
// (an iapeer code, never INTERNAL); a refused call changes no file under the root (logs
// aside); every service still answers health after each procedure's batch.
// FUZZ_RUNS raises the runs per procedure for a long local run.

interface Proc {
  kind: ProcedureKind;
  /** A valid input the generators mutate (undefined: the procedure takes none). */
  template?: (sb: Sandbox) => Record<string, unknown>;
}

const peerDir = (sb: Sandbox, p: string) => path.join(sb.paths.peersDir, p);

/** Every procedure of libs/contracts/src/{registry,supervisor,router,logd,console}.ts. */
const PROCEDURES: Record<(typeof SERVICE_NAMES)[number], Record<string, Proc>> = {
  registry: {
    health: { kind: 'query' },
    list: { kind: 'query' },
    get: { kind: 'query', template: () => ({ personality: 'alice' }) },
    upsert: { kind: 'mutation', template: (sb) => ({ personality: 'zed', runtime: 'fake', runtimes: ['fake'], description: 'z', intelligence: 'artificial', interfaces: {}, cwd: peerDir(sb, 'zed') }) },
    remove: { kind: 'mutation', template: () => ({ personality: 'zed' }) },
    rename: { kind: 'mutation', template: () => ({ from: 'zed', to: 'zed-two' }) },
    init: { kind: 'mutation', template: (sb) => ({ cwd: peerDir(sb, 'carol'), personality: 'carol', runtime: 'fake', description: 'c', intelligence: 'natural', initial_prompt: 'hi' }) },
    reindex: { kind: 'mutation', template: (sb) => ({ cwds: [peerDir(sb, 'alice')] }) },
    verify: { kind: 'query' },
  },
  supervisor: {
    health: { kind: 'query' },
    wake: { kind: 'mutation', template: () => ({ personality: 'alice', runtime: 'fake', topic: 't', task: 'hello', resume: false, origin: 'cli' }) },
    stop: { kind: 'mutation', template: () => ({ personality: 'bob', runtime: 'fake' }) },
    start: { kind: 'mutation', template: () => ({ personality: 'bob', runtime: 'fake' }) },
    markFresh: { kind: 'mutation', template: () => ({ identity: 'fake-alice' }) },
    refresh: { kind: 'mutation', template: () => ({ personality: 'alice' }) },
    new: { kind: 'mutation', template: () => ({ personality: 'alice', runtime: 'fake' }) },
    tick: { kind: 'mutation' },
    state: { kind: 'query', template: () => ({ personality: 'alice' }) },
    noteTopic: { kind: 'mutation', template: () => ({ identity: 'fake-alice', topic: 'release' }) },
    // yara is never registered: an accepted enqueue would start a drain (a wake) after the call returns
    enqueue: { kind: 'mutation', template: () => ({ personality: 'yara', runtime: 'fake', task: '<iap from-personality="alice">hi</iap>', topic: 't', sendId: '0123456789abcdef' }) },
    arm: { kind: 'mutation', template: () => ({ identity: 'fake-yara', origin: 'self-done' }) },
    wakePhases: { kind: 'subscription', template: () => ({ identity: 'fake-alice' }) },
    attachEvent: { kind: 'mutation', template: () => ({ identity: 'fake-alice', phase: 'start', code: 0 }) },
    activity: { kind: 'query', template: () => ({ identity: 'fake-alice' }) },
    activityChanges: { kind: 'subscription', template: () => ({ identities: ['fake-alice'] }) },
  },
  router: {
    health: { kind: 'query' },
    send: { kind: 'mutation', template: () => ({ from: 'fake-alice', personality: 'bob', runtime: 'fake', message: 'hi bob', topic: 't', attachments: ['/etc/hostname'], idempotencyKey: 'k-1' }) },
    control: { kind: 'mutation', template: () => ({ personality: 'bob', runtime: 'fake', command: 'interrupt' }) },
    fleetSend: { kind: 'mutation', template: () => ({ from: { identity: 'fake-alice', host: 'elsewhere' }, personality: 'bob', runtime: 'fake', message: 'hi bob', topic: 't', idempotencyKey: 'fleet-1' }) },
  },
  logd: {
    health: { kind: 'query' },
    append: { kind: 'mutation', template: () => ({ producer: 'fuzz', seq: 0, retry: false, entries: [{ log: 'delivery', lines: ['ts=2026-01-01T00:00:00.000Z ev=fuzz'] }] }) },
    tail: { kind: 'subscription', template: () => ({ log: 'lifecycle', from: 0, ev: 'wake', identity: 'fake-alice' }) },
    query: { kind: 'query', template: () => ({ log: 'lifecycle', n: 5, ev: 'wake', identity: 'alice', since: '2026-01-01T00:00:00Z', until: '2036-01-01T00:00:00Z' }) },
  },
  console: {
    health: { kind: 'query' },
    // mints an in-memory one-time token: no file changes
    login: { kind: 'mutation', template: () => ({ readOnly: true }) },
  },
};

describe('fuzzed contracts: every procedure of every service over the real sockets', () => {
  let sb: Sandbox;
  let stack: TestStack;
  /** One client per service; the fuzzer calls them by a procedure name it draws. */
  const clients = new Map<ServiceName, ServiceClient>();

  beforeAll(async () => {
    sb = makeSandbox({ IAPEER_SUPERVISE_INTERVAL_MS: '3600000', IAPEER_MCP_IDENTITY: 'header-only', IAPEER_BOOT_DEADLINE_SECS: '20' });
    installFakeRuntime(sb);
    stack = new TestStack(sb);
    await stack.start();
    for (const name of SERVICE_NAMES) clients.set(name, stack.client(name, 5000).client);
    const registry = stack.client('registry', 5000).client;
    for (const p of ['alice', 'bob', 'carol']) {
      fs.mkdirSync(peerDir(sb, p), { recursive: true, mode: 0o700 });
      if (p !== 'carol') await registry.init.mutate({ cwd: peerDir(sb, p), personality: p, runtime: 'fake' });
    }
  }, 60_000);

  afterAll(async () => {
    await stack.client('supervisor', 5000).client.stop.mutate({ all: true }).catch(() => undefined);
    await stack.stop();
    sb.cleanup();
  });

  async function assertAllHealthy(): Promise<void> {
    for (const name of SERVICE_NAMES) {
      const child = stack.children.get(name)!;
      expect({ service: name, exit: child.exitCode, signal: child.signalCode }).toEqual({ service: name, exit: null, signal: null });
      expect((await clients.get(name)!.health.query()).ready).toBe(true);
    }
  }

  for (const service of SERVICE_NAMES) {
    describe(service, () => {
      for (const [name, proc] of Object.entries(PROCEDURES[service])) {
        it(`${name}: a valid answer or a typed error; a refusal changes no file`, async () => {
          const exclude = [sb.paths.logsDir];
          // a fake agent appends to its transcript on its own time (an Escape is recorded 30 ms
          // after it arrives), and a session's token is revoked when the supervisor's sweep sees
          // it gone: an earlier, accepted call's effects, not the refused call's
          const snapshot = () => snapshotFiles(sb.root, exclude, ['transcript.jsonl', /\.token$/]);
          await fc.assert(
            fc.asyncProperty(
              fc.constant(null).chain(() => inputsLike(proc.template?.(sb), sb.dir)),
              async (input) => {
                const before = snapshot();
                const out = await callProcedure(fuzzed(clients.get(service)), name, proc.kind, input);
                if (out.ok) return;
                expect({ code: out.code, message: out.message }).toEqual({ code: expect.any(String), message: expect.any(String) });
                expect({ code: out.code, message: out.message }).not.toMatchObject({ code: 'INTERNAL' });
                expect({ code: out.code, message: out.message, changes: diffSnapshots(before, snapshot()) }).toEqual({ code: out.code, message: out.message, changes: [] });
              },
            ),
            { numRuns: fuzzRuns(), endOnFailure: true },
          );
          await assertAllHealthy();
        });
      }
    });
  }
});
