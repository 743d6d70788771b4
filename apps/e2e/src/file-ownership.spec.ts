import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readPeerProfile, writePeerProfile } from '@iapeer/profiles';
import { REPO_ROOT, readFakeTranscript, runCli, waitFor } from '@iapeer/testing';
import { allowed, canonicalPath, inScope, ownerOf, parseOwnershipTable, readTrace, walk, type OwnershipRow, type TracedWrite } from './ownership/ownership-table';
import { startLifecycleWorld, type LifecycleWorld } from './support/lifecycle-world';

const TRACER = path.join(__dirname, 'ownership', 'fs-tracer.cjs');
const OWNERSHIP_DOC = path.join(REPO_ROOT, 'docs', 'architecture.md');

// One owner per file, checked against the real thing: a whole scenario (services up,
// peers created and initialised, add-runtime / default-runtime / connect telegram, sends
// that wake the fake agent, a send held by a dialog (the router's composer queue),
// stop/start, new, a tick,
// an always-on peer, list/logs/verify, remove of live, asleep and always-on peers, then
// `iapeer up`, `demo`, `down`, `iapeer service install`/`uninstall`) runs
// with every Node process of the sandbox traced by a preload (services, CLI, keeper,
// fake agent). Each write under the root or in a peer folder must come from the writer
// the table in docs/architecture.md names: the docs and the code cannot drift apart.
describe('file ownership (docs/architecture.md) holds for a whole scenario', () => {
  let w: LifecycleWorld;
  let traceDir: string;
  let traceFile: string;
  let rows: OwnershipRow[];
  const peerFolders: string[] = [];
  /** The checks below judge a complete run only. */
  let scenarioDone = false;

  const ok = async (args: string[], opts: { cwd?: string } = {}, env: NodeJS.ProcessEnv = {}) => {
    const r = await runCli(args, { ...w.sb.env, ...env }, { cwd: opts.cwd, timeoutMs: 90_000 });
    if (r.code !== 0) throw new Error(`iapeer ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };

  beforeAll(async () => {
    rows = parseOwnershipTable(fs.readFileSync(OWNERSHIP_DOC, 'utf8'));
    traceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-trace-'));
    traceFile = path.join(traceDir, 'writes.ndjson');
    const nodeOptions = [process.env.NODE_OPTIONS, `--require ${TRACER}`].filter(Boolean).join(' ');
    w = await startLifecycleWorld({ NODE_OPTIONS: nodeOptions, IAPEER_FS_TRACE: traceFile });
  });
  afterAll(async () => {
    await w?.close();
    fs.rmSync(traceDir, { recursive: true, force: true });
  });

  it('the table parses: every row has a pattern and a writer', () => {
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.find((r) => r.pattern === '<root>/peers-profiles.json')?.writers).toEqual(['registry']);
    expect(rows.find((r) => r.pattern === '<root>/state/lifecycle/<identity>.*')?.writers).toEqual(['supervisor']);
  });

  it('runs the scenario', async () => {
    peerFolders.push(await w.createPeer('alice'), await w.createPeer('bob'));
    const dave = path.join(w.sb.dir, 'work', 'dave');
    fs.mkdirSync(dave, { recursive: true });
    await ok(['init', '--runtime', 'claude', '--description', 'a claude peer that never wakes here'], { cwd: dave });
    peerFolders.push(dave);
    // the fleet verbs: the registry writes the profiles, the CLI the MCP config and the bot's .env
    await ok(['add-runtime', 'codex', '--peer', 'dave']);
    await ok(['default-runtime', 'codex', '--peer', 'dave']);
    await ok(['default-runtime', 'claude', '--peer', 'dave']);
    await ok(['connect', 'telegram', 'dave', '--token', '123456789:AAbbccddeeffgghhiijjkkllmmnnooppqq']);

    await ok(['send', 'alice', '--from', 'fake-bob', '--message', 'first', '--topic', 'audit', '--idempotency-key', 'k-1']);
    await ok(['send', 'bob', '--from', 'fake-alice', '--message', 'hello bob']);
    // a dialog on bob's screen: the next send waits in the router's composer queue (§6.4)
    // and lands once the dialog is answered
    await ok(['send', 'bob', '--from', 'fake-alice', '--message', 'ask me FAKE:dialog']);
    await waitFor(async () => ((await w.sup.client.activity.query({ identity: 'fake-bob' })).state === 'waiting' ? true : null), 'bob to show its dialog');
    expect(await ok(['send', 'bob', '--from', 'fake-alice', '--message', 'held for the dialog'])).toContain('queued for bob (fake), depth 1');
    await w.tmux.sendKeys('fake-bob', ['Enter']);
    await waitFor(() => readFakeTranscript(peerFolders[1]).some((r) => r.type === 'message' && r.text?.includes('held for the dialog')), 'the held message to land');
    await ok(['stop', 'alice']);
    await ok(['start', 'alice']);
    await ok(['send', 'alice', '--from', 'fake-bob', '--message', 'second', '--topic', 'audit']);
    await ok(['new', 'alice']);
    await w.sup.client.tick.mutate();
    // an ephemeral worker: its queue under state/lifecycle/ (the profile edit is the operator's)
    const carol = await w.createPeer('carol');
    peerFolders.push(carol);
    const profile = readPeerProfile(carol);
    if (profile.state !== 'ok') throw new Error(`carol's profile: ${profile.state}`);
    writePeerProfile(carol, { ...profile.profile, wake_policy: 'ephemeral' });
    expect(await ok(['send', 'carol', '--from', 'fake-alice', '--message', 'a job'])).toContain('queued for carol (fake), depth 1');
    await waitFor(() => readFakeTranscript(carol).some((r) => r.type === 'message'), 'the drain to hand carol its job');
    await ok(['send', 'carol', '--from', 'fake-alice', '--message', 'a second job']);
    await ok(['self-done'], {}, { PEER_IDENTITY: 'fake-carol' });
    // an always-on peer: its job file (outside the root) and the sandbox's service-manager journal
    const standin = path.join(w.sb.dir, 'notifier-standin');
    fs.writeFileSync(standin, '#!/bin/sh\nexec sleep 600\n', { mode: 0o755 });
    w.sb.env.NOTIFIER_RUNTIME_BIN = standin;
    peerFolders.push(path.join(w.sb.paths.peersDir, 'pager'));
    await ok(['create', 'pager', '--runtime', 'notifier']);
    await ok(['stop', 'pager']);
    await ok(['start', 'pager']);
    await ok(['list']);
    await ok(['logs', 'lifecycle']);
    await ok(['verify']);
    await ok(['stop', 'bob']);
    expect(await ok(['remove', 'bob'])).toContain('removed "bob" from the registry');
    expect(await ok(['remove', 'alice', '--force'])).toMatch(/purged "alice": killed fake-alice/);
    expect(await ok(['remove', 'carol', '--force'])).toMatch(/purged "carol": killed fake-carol/);
    await ok(['remove', 'dave']);
    expect(await ok(['remove', 'pager'])).toContain('removed always-on job');
    expect(fs.readdirSync(w.sb.paths.lifecycleDir).filter((n) => /^fake-(alice|bob|carol)\./.test(n))).toEqual([]);

    // the services once more, under `iapeer up`'s keeper, then down
    await w.stack.stop();
    await ok(['up']);
    await ok(['demo']); // its runtime manifest, two peers that talk through the CLI
    await ok(['status']);
    await ok(['down']);
    // the service-manager route (a recorded no-op in the sandbox): units outside the root, logs/services/ inside
    await ok(['service', 'install', '--platform', 'linux']);
    await ok(['service', 'uninstall', '--platform', 'linux']);
    scenarioDone = true;
  }, 300_000);

  it('every traced process wrote through the tracer (the five services, the CLI, the fake agent)', () => {
    expect(scenarioDone).toBe(true);
    const procs = new Set(readTrace(traceFile).map((t) => t.proc));
    for (const p of ['cli', 'logd', 'registry', 'supervisor', 'router', 'console', 'agent']) expect([p, procs.has(p)]).toEqual([p, true]);
  });

  it('each write under the root and in a peer folder came from the owner the table names', () => {
    expect(scenarioDone).toBe(true);
    const scope = { root: w.sb.root, peerFolders };
    const wrong: string[] = [];
    const seen = new Set<string>();
    for (const t of readTrace(traceFile)) {
      const p = canonicalPath(t.path);
      if (!inScope(p, scope)) continue;
      const row = ownerOf(rows, p, scope);
      const key = `${p} ${t.proc} ${t.op}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (!row) wrong.push(`${p}: written by ${t.proc} (${t.op}), but no row of the table names it`);
      else if (!allowed(row, t)) wrong.push(`${p}: written by ${t.proc} (${t.op}), owner ${row.writers.join(' ')} (row ${row.pattern})`);
    }
    expect(wrong).toEqual([]);
  });

  it('every file left under the root and in the peer folders has a row', () => {
    expect(scenarioDone).toBe(true);
    const scope = { root: w.sb.root, peerFolders };
    const unknown = [w.sb.root, ...peerFolders].flatMap(walk).filter((p) => !ownerOf(rows, canonicalPath(p), scope));
    expect(unknown).toEqual([]);
  });

  it('the services wrote what the table gives them (the trace saw the scenario)', () => {
    expect(scenarioDone).toBe(true);
    const by = (proc: string, re: RegExp, op?: string) => readTrace(traceFile).some((t: TracedWrite) => t.proc === proc && re.test(t.path) && (!op || t.op === op));
    expect(by('registry', /peers-profiles\.json$/)).toBe(true);
    expect(by('registry', /\/\.iapeer\/peer-profile\.json$/)).toBe(true);
    expect(by('supervisor', /\/state\/lifecycle\/fake-alice\.session$/)).toBe(true);
    expect(by('supervisor', /\/state\/lifecycle\/fake-carol\.queue\/\d{6}$/, 'link')).toBe(true);
    expect(by('supervisor', /\/state\/lifecycle\/fake-carol\.ephemeral-armed$/)).toBe(true);
    // what tmux writes, attributed to the service that asked it
    expect(by('supervisor', /\/socks\/tmux-iap-fake-alice\.sock$/, 'tmux-server')).toBe(true);
    expect(by('supervisor', /\/logs\/lifecycle\/fake-alice\.log$/, 'pipe-pane')).toBe(true);
    expect(by('router', /\/state\/iapeer\/router\.json$/)).toBe(true);
    expect(by('router', /\/state\/iapeer\/sock\/router\.sock$/, 'listen')).toBe(true);
    expect(by('logd', /\/logs\/iapeer\/lifecycle\.log$/)).toBe(true);
    expect(by('cli', /\/state\/iapeer\/up\.json$/)).toBe(true);
    expect(by('cli', /\/dave\/\.mcp\.json$/)).toBe(true);
    expect(by('cli', /\/logs\/services$/)).toBe(true);
    expect(by('cli', /\/runtimes\/demo\/runtime\.json$/)).toBe(true);
    expect(by('agent', /\/transcript\.jsonl$/)).toBe(true);
    expect(by('supervisor', /\/state\/iapeer\/service-manager\.journal$/)).toBe(true);
    // remove's purge was the supervisor's, not the CLI's
    const purged = readTrace(traceFile).filter((t) => t.op === 'remove' && /\/state\/lifecycle\/fake-alice\./.test(t.path));
    expect(purged.length).toBeGreaterThan(0);
    expect([...new Set(purged.map((t) => t.proc))]).toEqual(['supervisor']);
  });
});
