import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolvePaths, type IapeerPaths } from '@iapeer/core';

/**
 * TEST-ONLY throw-away HOME and IAPEER_ROOT for this lib's specs: the same contract as
 * `makeSandbox` in @iapeer/testing, which a `type:lib` project may not import (Nx
 * module boundaries; and libs/testing will import runtimes for the fake agent, which
 * would make the two a cycle). Never the user's ~/.iapeer, ~/.claude* or ~/.codex.
 */
export interface TempHome {
  dir: string;
  home: string;
  env: Record<string, string | undefined>;
  paths: IapeerPaths;
  cleanup(): void;
}

/** Repo root (node_modules/.bin holds the devDependency CLIs). */
export const REPO_ROOT = path.resolve(__dirname, '../../../..');

export function makeTempHome(extraEnv: Record<string, string> = {}): TempHome {
  // Short base: tmux socket paths must stay under ~100 bytes.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-'));
  const home = path.join(dir, 'home');
  fs.mkdirSync(home, { mode: 0o700 });
  const env: Record<string, string | undefined> = { ...process.env };
  // No iapeer state and no host agent session may leak into the one under test.
  for (const key of Object.keys(env)) if (/^(PEER_|IAPEER_|IAP_|CLAUDE|ANTHROPIC_|OPENAI_|CODEX_)/.test(key)) delete env[key];
  delete env.TMUX;
  Object.assign(env, { HOME: home, IAPEER_ROOT: path.join(dir, 'root'), IAPEER_TEST_SANDBOX: '1' }, extraEnv);
  return {
    dir,
    home,
    env,
    paths: resolvePaths(env),
    // maxRetries: an agent that just exited may still be flushing files into HOME.
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }),
  };
}

/** Polls `cond` until it returns a truthy value or the deadline passes (then throws with `what`). */
export async function waitFor<T>(cond: () => T | Promise<T>, what: string, timeoutMs = 10_000, everyMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await cond();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      // Kept for the timeout message: a condition may throw until the thing exists.
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
