import type { Env, IapeerPaths } from '@iapeer/core';
import { runCommand, type CommandRunner } from './command-runner';
import type { ServicePlatform } from './job-spec';
import { createLaunchdManager } from './launchd-manager';
import { createSandboxManager, isTestSandbox, serviceManagerJournalPath } from './sandbox-manager';
import type { ServiceManager } from './service-manager';
import { createSystemdManager } from './systemd-manager';

export interface CreateManagerOptions {
  platform: ServicePlatform;
  env: Env;
  paths: IapeerPaths;
  /** @default runCommand */
  run?: CommandRunner;
  /** @default process.getuid */
  uid?: () => number | undefined;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** The manager for a platform; the recording sandbox twin when IAPEER_TEST_SANDBOX=1. */
export function createServiceManager(opts: CreateManagerOptions): ServiceManager {
  const run = opts.run ?? runCommand;
  const real =
    opts.platform === 'darwin'
      ? createLaunchdManager({
          run,
          uid: opts.uid ?? (() => (typeof process.getuid === 'function' ? process.getuid() : undefined)),
          sleep: opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
          now: opts.now ?? Date.now,
        })
      : createSystemdManager({ run });
  return isTestSandbox(opts.env) ? createSandboxManager(real, serviceManagerJournalPath(opts.paths)) : real;
}
