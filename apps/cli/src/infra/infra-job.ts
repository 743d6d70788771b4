import fs from 'node:fs';
import path from 'node:path';
import { isInfraRuntime, type Env, type IapeerPaths } from '@iapeer/core';
import {
  assertPeerJobNotForeign, assertSandboxTargetDir, buildInfraPeerJobSpec, createServiceManager, jobFilePath, jobLabel, readJobPresence,
  renderJobFile, writeServiceFileOrThrow, type ManagedJob, type ManagerResult, type ServiceFile, type ServicePlatform, type WriteOutcome,
} from '@iapeer/servicefiles';
import { resolveExecutable } from './resolve-executable';

/** launchd on macOS, systemd --user elsewhere (the supervisor's H4 check uses the same mapping). */
export const hostServicePlatform = (platform: NodeJS.Platform = process.platform): ServicePlatform => (platform === 'darwin' ? 'darwin' : 'linux');

/** The argv prefix that runs this CLI: the node binary and this bundle (dist/apps/cli/main.js), both absolute. */
export const cliCommand = (): string[] => [process.execPath, path.join(__dirname, 'main.js')];

/** Each router runtime's program variable and its default name on PATH (libs/runtimes router-adapters). */
const RUNTIME_BIN: Readonly<Record<string, { envKey: string; program: string }>> = {
  telegram: { envKey: 'TELEGRAM_RUNTIME_BIN', program: 'telegram-runtime' },
  notifier: { envKey: 'NOTIFIER_RUNTIME_BIN', program: 'notifier-runtime' },
};

/** Variables a runtime reads that must survive into the job (docs/behaviour.md §7.10). */
const PASSTHROUGH = ['NOTIFIER_FALLBACK_TARGET'];

export interface InfraEnv {
  env: Record<string, string>;
  /** Set when the runtime's program is not found: the job is still written (it may be installed later). */
  warning?: string;
}

/**
 * The runtime-specific environment baked into the job: the runtime's program resolved to
 * an absolute path (a service manager does not search the login PATH), plus the
 * variables the runtime reads.
 */
export function infraRuntimeEnv(runtime: string, env: Env): InfraEnv {
  const out: Record<string, string> = {};
  for (const key of PASSTHROUGH) if (env[key]) out[key] = env[key]!;
  const bin = RUNTIME_BIN[runtime];
  if (!bin) return { env: out };
  const wanted = env[bin.envKey] || bin.program;
  const resolved = resolveExecutable(wanted, env.PATH);
  if (resolved) {
    out[bin.envKey] = resolved;
    return { env: out };
  }
  if (env[bin.envKey]) out[bin.envKey] = env[bin.envKey]!;
  return { env: out, warning: `${wanted} is not an executable on PATH (set ${bin.envKey} to its absolute path); the always-on job is written but its session fails until the runtime is installed` };
}

export const isAlwaysOnRuntime = (runtime: string | undefined): runtime is string => Boolean(runtime && isInfraRuntime(runtime));

export const infraJobOf = (paths: IapeerPaths, platform: ServicePlatform, personality: string): ManagedJob => ({
  label: jobLabel(platform, 'infra-peer', personality),
  file: jobFilePath(paths, platform, 'infra-peer', personality),
});

/**
 * The fleet guard before anything is changed: a foreign file at the peer's label, or the
 * sandbox without a relocated target directory, refuses the whole create/init.
 */
export function assertInfraJobWritable(paths: IapeerPaths, env: Env, personality: string, platform = hostServicePlatform()): void {
  assertSandboxTargetDir(env, platform);
  assertPeerJobNotForeign(paths, platform, personality);
}

export interface InstalledInfraJob {
  file: ServiceFile;
  written: WriteOutcome;
  started: ManagerResult;
  warning?: string;
}

/**
 * Writes the peer's own unit/plist (only when its content changed) and starts it through
 * the service manager (a recorded no-op under IAPEER_TEST_SANDBOX=1). Throws
 * FOREIGN_SERVICE_FILE rather than overwrite a job iapeer does not own.
 */
export async function installInfraJob(
  paths: IapeerPaths,
  env: Env,
  peer: { personality: string; runtime: string; cwd: string },
  platform = hostServicePlatform(),
): Promise<InstalledInfraJob> {
  assertInfraJobWritable(paths, env, peer.personality, platform);
  const runtimeEnv = infraRuntimeEnv(peer.runtime, env);
  const spec = buildInfraPeerJobSpec({ paths, env, platform, ...peer, command: cliCommand(), extraEnv: runtimeEnv.env });
  const file = renderJobFile(paths, platform, spec);
  const result = writeServiceFileOrThrow(file);
  const manager = createServiceManager({ platform, env, paths });
  if (result.changed) await manager.reload();
  const started = await manager.start({ label: file.label, file: file.path }, { changed: result.changed });
  return { file, written: result.outcome, started, warning: runtimeEnv.warning };
}

/** Whose job sits at the peer's label: none (or a service's own plist), ours, or foreign (with the reason). */
export function readInfraJobPresence(paths: IapeerPaths, personality: string, platform = hostServicePlatform()): { state: 'none' | 'ours' } | { state: 'foreign'; reason: string } {
  const presence = readJobPresence(paths, platform, 'infra-peer', personality);
  // a service's own plist at a colliding launchd label is not this peer's job
  if (presence.state === 'missing' || (presence.state === 'ours' && presence.kind === 'service')) return { state: 'none' };
  if (presence.state === 'ours') return { state: 'ours' };
  const job = infraJobOf(paths, platform, personality);
  return { state: 'foreign', reason: `${job.file} (label ${job.label}) has no iapeer sentinel; iapeer never stops, starts or removes a foreign job` };
}

export type RemovedInfraJob = { state: 'none' } | { state: 'removed'; job: ManagedJob; stopped: ManagerResult } | { state: 'refused-foreign'; reason: string };

/** `remove` of an always-on peer: stop its job and delete its file — ours only; a foreign file is left alone. */
export async function removeInfraJob(paths: IapeerPaths, env: Env, personality: string, platform = hostServicePlatform()): Promise<RemovedInfraJob> {
  const presence = readInfraJobPresence(paths, personality, platform);
  if (presence.state !== 'ours') return presence.state === 'foreign' ? { state: 'refused-foreign', reason: presence.reason } : { state: 'none' };
  const job = infraJobOf(paths, platform, personality);
  const manager = createServiceManager({ platform, env, paths });
  const stopped = await manager.stop(job);
  fs.rmSync(job.file, { force: true });
  await manager.reload();
  return { state: 'removed', job, stopped };
}
