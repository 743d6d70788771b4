import fs from 'node:fs';
import path from 'node:path';
import type { IapeerPaths } from '@iapeer/core';
import { ensureDir, writeFileAtomic } from '@iapeer/storage';

/** The demo's runtime: the fake agent that ships in dist/, answering envelopes through this CLI. */
export const DEMO_RUNTIME = 'demo';

/** dist/fake-agent/agent.js beside this bundle (dist/apps/cli/main.js). */
export const shippedFakeAgent = () => path.join(__dirname, '..', '..', 'fake-agent', 'agent.js');

export function demoManifest(cliMain: string, agent = shippedFakeAgent()): Record<string, unknown> {
  return {
    runtime: DEMO_RUNTIME,
    kind: 'tui',
    command: process.execPath,
    args: [agent, `--reply-cmd=${JSON.stringify([process.execPath, cliMain, 'send'])}`],
    resumeArgs: ['--resume'],
    promptGlyph: '❯',
    readyPattern: '^❯(\\s|$)',
    bootDialogs: [{ match: 'Do you trust the files in this folder\\?', keys: ['Enter'], name: 'trust-folder' }],
    activity: 'transcript.jsonl',
  };
}

/** Writes `<root>/runtimes/demo/runtime.json` (only when it changed). */
export function installDemoRuntime(paths: IapeerPaths, cliMain: string): string {
  const agent = shippedFakeAgent();
  if (!fs.existsSync(agent)) throw new Error(`the demo agent ${agent} is missing; run \`npm run build\``);
  const dir = path.join(paths.runtimesDir, DEMO_RUNTIME);
  ensureDir(dir);
  const file = path.join(dir, 'runtime.json');
  const text = JSON.stringify(demoManifest(cliMain, agent), null, 2) + '\n';
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) writeFileAtomic(file, text);
  return file;
}
