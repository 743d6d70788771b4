import fs from 'node:fs';
import path from 'node:path';

/** The fake agent script (plain JS: runs without a build). */
export const FAKE_AGENT_JS = path.resolve(__dirname, '../fake-agent/agent.js');

/** Env switches of the fake agent (see fake-agent/agent.js). */
export interface FakeAgentBehaviour {
  /** Show a trust dialog at boot that Enter answers. */
  dialog?: boolean;
  bootDelayMs?: number;
  neverReady?: boolean;
  /** Exit with status 3 right after the N-th submitted message. */
  crashAfter?: number;
  swallowEnter?: boolean;
  /** Work (screen reads busy) for N ms after each submitted message. A message holding `FAKE:busy[=ms]` or `FAKE:dialog` asks for one turn of it. */
  busyMs?: number;
  /** Reply to IAP envelopes with this argv prefix (e.g. [node, bin/iapeer, 'send']). */
  replyCmd?: string[];
}

export function fakeAgentEnv(b: FakeAgentBehaviour = {}): Record<string, string> {
  const env: Record<string, string> = {};
  if (b.dialog) env.FAKE_AGENT_DIALOG = '1';
  if (b.bootDelayMs) env.FAKE_AGENT_BOOT_DELAY_MS = String(b.bootDelayMs);
  if (b.neverReady) env.FAKE_AGENT_NEVER_READY = '1';
  if (b.crashAfter) env.FAKE_AGENT_CRASH_AFTER = String(b.crashAfter);
  if (b.swallowEnter) env.FAKE_AGENT_SWALLOW_ENTER = '1';
  if (b.busyMs) env.FAKE_AGENT_BUSY_MS = String(b.busyMs);
  if (b.replyCmd) env.FAKE_AGENT_REPLY_CMD = JSON.stringify(b.replyCmd);
  return env;
}

export interface InstallFakeRuntimeOptions {
  /** Runtime name (no dashes). @default 'fake' */
  name?: string;
  /** Path of agent.js (a bundled caller, e.g. a bench, passes it explicitly). @default FAKE_AGENT_JS */
  agentPath?: string;
  /** The node binary. @default process.execPath */
  node?: string;
  /** Use the transcript as the activity signal. @default true (false = pane-log mtime) */
  transcriptActivity?: boolean;
}

/** The fake agent's manifest (docs/architecture.md "Runtimes"). */
export function fakeRuntimeManifest(opts: InstallFakeRuntimeOptions = {}): Record<string, unknown> {
  return {
    runtime: opts.name ?? 'fake',
    kind: 'tui',
    command: opts.node ?? process.execPath,
    args: [opts.agentPath ?? FAKE_AGENT_JS],
    resumeArgs: ['--resume'],
    promptGlyph: '❯',
    readyPattern: '^❯(\\s|$)',
    busyPattern: 'esc to interrupt',
    // an indented menu cursor: the boot trust dialog and the approval a FAKE:dialog message opens
    waitingPattern: '^\\s+❯ \\d+\\.',
    bootDialogs: [{ match: 'Do you trust the files in this folder\\?', keys: ['Enter'], name: 'trust-folder' }],
    ...(opts.transcriptActivity === false ? {} : { activity: 'transcript.jsonl', compactDonePattern: '"type":"compact"' }),
  };
}

/** Writes `<root>/runtimes/<name>/runtime.json` for the fake agent; returns its path. */
export function installFakeRuntime(sandbox: { root: string }, opts: InstallFakeRuntimeOptions = {}): string {
  const dir = path.join(sandbox.root, 'runtimes', opts.name ?? 'fake');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'runtime.json');
  fs.writeFileSync(file, JSON.stringify(fakeRuntimeManifest(opts), null, 2) + '\n', { mode: 0o600 });
  return file;
}

/** The records the fake agent appended to `<cwd>/transcript.jsonl`. */
export function readFakeTranscript(cwd: string): Array<{ type: string; text?: string; count?: number }> {
  const file = path.join(cwd, 'transcript.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}
