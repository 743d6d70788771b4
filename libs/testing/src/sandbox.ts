import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolvePaths, type IapeerPaths } from '@iapeer/core';

/** A throw-away IAPEER_ROOT and HOME; never the user's ~/.iapeer, ~/.claude* or ~/.codex. */
export interface Sandbox {
  dir: string;
  root: string;
  home: string;
  env: NodeJS.ProcessEnv;
  paths: IapeerPaths;
  cleanup(): void;
}

/** Short base dir: socket paths must stay under ~100 bytes. */
export function makeSandbox(extraEnv: Record<string, string> = {}): Sandbox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-'));
  const root = path.join(dir, 'root');
  const home = path.join(dir, 'home');
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('PEER_') || key.startsWith('IAPEER_') || key.startsWith('IAP_')) delete env[key];
  // IAPEER_PORT=0: a router in a sandbox binds a free port (in router.json), never the real 8765;
  // IAPEER_CONSOLE_PORT=0: the same for the console (never the real 8766)
  Object.assign(env, { HOME: home, IAPEER_ROOT: root, IAPEER_TEST_SANDBOX: '1', IAPEER_PORT: '0', IAPEER_CONSOLE_PORT: '0', IAPEER_LAUNCHAGENTS_DIR: path.join(dir, 'LaunchAgents'), IAPEER_SYSTEMD_USER_DIR: path.join(dir, 'systemd') }, extraEnv);
  delete env.TMUX;
  const paths = resolvePaths(env);
  return {
    dir,
    root,
    home,
    env,
    paths,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
