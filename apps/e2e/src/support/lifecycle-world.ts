import fs from 'node:fs';
import path from 'node:path';
import { readPeerProfile, writePeerProfile } from '@iapeer/profiles';
import type { SupervisorRouter } from '@iapeer/contracts';
import type { RpcClient } from '@iapeer/rpc';
import { createTmuxDriver } from '@iapeer/tmux';
import { FAKE_AGENT_JS, fakeAgentEnv, fakeRuntimeManifest, installFakeRuntime, makeSandbox, readFakeTranscript, runCli, TestStack, waitFor, type FakeAgentBehaviour, type Sandbox } from '@iapeer/testing';

/**
 * One sandboxed iapeer for a lifecycle scenario: the four real services from dist/, the
 * fake agent as the `fake` runtime, real tmux (one server per identity under the
 * sandbox). The periodic tick is pushed out of the way (1 h) so each test drives the
 * tick itself through the supervisor's `tick` procedure: no waiting on timers.
 */
export interface LifecycleWorld {
  sb: Sandbox;
  stack: TestStack;
  /** A supervisor client (reconnects after a supervisor restart). */
  sup: RpcClient<SupervisorRouter>;
  tmux: ReturnType<typeof createTmuxDriver>;
  /** `iapeer <args>` against this world. */
  cli(args: string[], opts?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }): ReturnType<typeof runCli>;
  /** Registers `<name>` with a default runtime; `initialPrompt` goes into its local profile. */
  createPeer(name: string, opts?: { runtime?: string; initialPrompt?: string }): Promise<string>;
  /** The lifecycle.log lines about `identity` (or every line), as logd answers `query`. */
  lifecycle(identity?: string): Promise<string[]>;
  /** Polls lifecycle.log until `pick(lines)` is truthy (logd writes asynchronously). */
  waitLifecycle<T>(pick: (lines: string[]) => T, what: string, identity?: string): Promise<NonNullable<T>>;
  /** The marker files of an identity (suffixes, sorted; the wake lock and prompt left out). */
  markers(identity: string): string[];
  close(): Promise<void>;
}

export const DEFAULT_WORLD_ENV: Record<string, string> = {
  IAPEER_SUPERVISE_INTERVAL_MS: '3600000',
  // short boot and gate deadlines: the fake agent is ready in well under a second
  IAPEER_BOOT_DEADLINE_SECS: '20',
  IAPEER_READY_GATE_SECS: '10',
};

export async function startLifecycleWorld(env: Record<string, string> = {}): Promise<LifecycleWorld> {
  const sb = makeSandbox({ ...DEFAULT_WORLD_ENV, ...env });
  // a host agent session (or its keys) must not leak into the agents under test
  for (const key of Object.keys(sb.env)) if (/^(CLAUDE|ANTHROPIC_|OPENAI_|CODEX_)/.test(key) && !(key in env)) delete sb.env[key];
  installFakeRuntime(sb);
  const stack = new TestStack(sb);
  await stack.start();
  const sup = stack.client('supervisor');
  const logd = stack.client('logd');
  const tmux = createTmuxDriver({ sockDir: sb.paths.sockDir, baseEnv: sb.env });
  const cli: LifecycleWorld['cli'] = (args, opts = {}) => runCli(args, opts.env ?? sb.env, { timeoutMs: opts.timeoutMs });
  const lifecycle = async (identity?: string) => (await logd.client.query.query({ log: 'lifecycle', n: 10_000, ...(identity ? { identity } : {}) })).lines;
  return {
    sb,
    stack,
    sup,
    tmux,
    cli,
    async createPeer(name, opts = {}) {
      const r = await cli(['create', name, '--runtime', opts.runtime ?? 'fake', '--description', `${name} under test`]);
      if (r.code !== 0) throw new Error(`iapeer create ${name} failed (${r.code}): ${r.stderr}`);
      const cwd = path.join(sb.paths.peersDir, name);
      if (opts.initialPrompt !== undefined) {
        // the operator's hand edit of the profile, done with the one reader and writer
        const read = readPeerProfile(cwd);
        if (read.state !== 'ok') throw new Error(`the profile of ${name} after create: ${read.state}`);
        writePeerProfile(cwd, { ...read.profile, initial_prompt: opts.initialPrompt });
      }
      return cwd;
    },
    lifecycle,
    waitLifecycle: (pick, what, identity) => waitFor(async () => pick(await lifecycle(identity)), what, 10_000, 50),
    markers(identity) {
      // the session token's hash lives beside the markers while a session is live; it has its
      // own e2e (mcp-token.spec.ts), so the lifecycle scenarios leave it out of their marker sets
      const skip = new Set(['wake.lock', 'system-prompt.md', 'token']);
      const dir = sb.paths.lifecycleDir;
      if (!fs.existsSync(dir)) return [];
      return fs
        .readdirSync(dir)
        .filter((n) => n.startsWith(`${identity}.`))
        .map((n) => n.slice(identity.length + 1))
        .filter((s) => !skip.has(s))
        .sort();
    },
    async close() {
      await cli(['stop', '--all']).catch(() => undefined);
      // every tmux server this world started (stop kills sessions; a dead pane's server too)
      for (const name of fs.existsSync(sb.paths.sockDir) ? fs.readdirSync(sb.paths.sockDir) : []) {
        const m = /^tmux-iap-(.+)\.sock$/.exec(name);
        if (m) await tmux.kill(m[1]).catch(() => undefined);
      }
      await stack.stop();
      sb.cleanup();
    },
  };
}

/**
 * A second manifest runtime whose fake agent misbehaves as told (the manifest runs it
 * through /usr/bin/env, so the switches apply to this runtime only).
 */
export function installMisbehavingRuntime(sb: Sandbox, name: string, behaviour: FakeAgentBehaviour): void {
  const manifest = fakeRuntimeManifest({ name });
  const env = Object.entries(fakeAgentEnv(behaviour)).map(([k, v]) => `${k}=${v}`);
  Object.assign(manifest, { command: '/usr/bin/env', args: [...env, process.execPath, FAKE_AGENT_JS] });
  const dir = path.join(sb.root, 'runtimes', name);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dir, 'runtime.json'), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
}

/** The messages (not resume/compact records) the fake agent got, in order. */
export const fakeMessages = (cwd: string): string[] => readFakeTranscript(cwd).filter((r) => r.type === 'message').map((r) => r.text ?? '');

/** logfmt field of a line (unquoted values only: enough for the fields asserted here). */
export function field(line: string, key: string): string | undefined {
  const m = new RegExp(`(?:^| )${key}=("(?:[^"\\\\]|\\\\.)*"|\\S*)`).exec(line);
  if (!m) return undefined;
  return m[1].startsWith('"') ? m[1].slice(1, -1).replace(/\\(.)/g, '$1') : m[1];
}

/** Lines with every given field equal. */
export const linesWith = (lines: string[], fields: Record<string, string>): string[] => lines.filter((l) => Object.entries(fields).every(([k, v]) => field(l, k) === v));
