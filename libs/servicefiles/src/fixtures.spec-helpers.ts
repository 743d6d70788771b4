import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolvePaths } from '@iapeer/core';
import { buildInfraPeerJobSpec, buildServiceJobSpecs } from './build-specs';
import type { ServicePlatform } from './job-spec';

/** Fixed inputs for the golden files: nothing depends on the machine running the test. */
export const GOLDEN_ENV = {
  HOME: '/home/ada',
  IAPEER_ROOT: '/home/ada/iap root',
  PATH: '/usr/local/bin:/usr/bin:/bin',
  IAPEER_PORT: '9876',
  IAPEER_SYSTEMD_USER_DIR: '/home/ada/.config/systemd/user',
  IAPEER_LAUNCHAGENTS_DIR: '/home/ada/Library/LaunchAgents',
  UNRELATED: 'not baked',
};

export const goldenPaths = () => resolvePaths(GOLDEN_ENV);

export const goldenServiceSpecs = () =>
  buildServiceJobSpecs({ paths: goldenPaths(), env: GOLDEN_ENV, nodePath: '/usr/bin/node', distAppsDir: '/opt/iapeer/dist/apps' });

export const goldenInfraSpec = (platform: ServicePlatform) =>
  buildInfraPeerJobSpec({
    paths: goldenPaths(),
    env: GOLDEN_ENV,
    platform,
    personality: 'tg-bot',
    runtime: 'telegram',
    cwd: '/home/ada/peers/tg-bot',
    command: ['/usr/bin/node', '/opt/iapeer/dist/apps/cli/main.js'],
    extraEnv: { TELEGRAM_RUNTIME_BIN: '/opt/telegram-runtime/bin/telegram-runtime' },
  });

/** A throw-away root for the lib's own tests (libs do not depend on @iapeer/testing). */
export interface TempRoot {
  env: Record<string, string>;
  paths: ReturnType<typeof resolvePaths>;
  cleanup(): void;
}

export function makeTempRoot(): TempRoot {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-sf-'));
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: path.join(dir, 'home'),
    IAPEER_ROOT: path.join(dir, 'root'),
    IAPEER_TEST_SANDBOX: '1',
    IAPEER_LAUNCHAGENTS_DIR: path.join(dir, 'LaunchAgents'),
    IAPEER_SYSTEMD_USER_DIR: path.join(dir, 'systemd'),
  };
  return { env, paths: resolvePaths(env), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
