import path from 'node:path';
import { IapeerError, activeServiceNames, formatIdentity, isPersonality, isRuntime, type Env, type IapeerPaths, type ServiceName } from '@iapeer/core';
import { DEFAULT_RESTART_TUNING, type InfraPeerJobSpec, type RestartTuning, type ServiceJobSpec, type ServicePlatform } from './job-spec';

/** Who calls whom (docs/architecture.md "Seams"): the systemd ordering of each service. */
export const SERVICE_DEPENDENCIES: Readonly<Record<ServiceName, readonly ServiceName[]>> = {
  logd: [],
  registry: ['logd'],
  supervisor: ['logd', 'registry'],
  router: ['logd', 'registry', 'supervisor'],
  bridge: ['logd', 'registry', 'supervisor', 'router'],
  console: ['logd', 'registry', 'supervisor', 'router'],
};

/** Where the service manager sends a service's stdout/stderr (logs/iapeer/ belongs to logd alone). */
export function serviceStdioPaths(paths: IapeerPaths, service: string): { stdoutPath: string; stderrPath: string } {
  const dir = path.join(paths.logsDir, 'services');
  return { stdoutPath: path.join(dir, `${service}-stdout.log`), stderrPath: path.join(dir, `${service}-stderr.log`) };
}

/** An infra peer's manager logs: `logs/<p>/launchd-std{out,err}.log` (docs/behaviour.md §3.2), `systemd-…` on Linux. */
export function infraStdioPaths(paths: IapeerPaths, platform: ServicePlatform, personality: string): { stdoutPath: string; stderrPath: string } {
  const dir = path.join(paths.logsDir, personality);
  const prefix = platform === 'darwin' ? 'launchd' : 'systemd';
  return { stdoutPath: path.join(dir, `${prefix}-stdout.log`), stderrPath: path.join(dir, `${prefix}-stderr.log`) };
}

/**
 * The environment a managed job gets: PATH (so services find tmux and the agent CLIs),
 * IAPEER_ROOT when the root is not the default, and every other IAPEER_* / IAP_* variable
 * set at install time — what the operator configured is what the services run with.
 */
export function bakedEnvironment(paths: IapeerPaths, env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  if (env.PATH) out.PATH = env.PATH;
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || key === 'IAPEER_ROOT') continue;
    if (key.startsWith('IAPEER_') || key.startsWith('IAP_')) out[key] = value;
  }
  if (!paths.isDefaultRoot) out.IAPEER_ROOT = paths.root;
  return out;
}

export interface BuildServiceSpecsOptions {
  paths: IapeerPaths;
  env: Env;
  /** Absolute node binary; callers pass process.execPath. */
  nodePath: string;
  /** Absolute `dist/apps` holding `<service>/main.js`. */
  distAppsDir: string;
  tuning?: RestartTuning;
}

/** One spec per service, in SERVICE_NAMES order (the bridge last, when IAPEER_NATS_URL is set). */
export function buildServiceJobSpecs(opts: BuildServiceSpecsOptions): ServiceJobSpec[] {
  assertAbsolute('node binary', opts.nodePath);
  assertAbsolute('dist/apps directory', opts.distAppsDir);
  const env = bakedEnvironment(opts.paths, opts.env);
  return activeServiceNames(opts.env).map((service) => ({
    kind: 'service',
    service,
    nodePath: opts.nodePath,
    entryPath: path.join(opts.distAppsDir, service, 'main.js'),
    workingDirectory: opts.paths.home,
    env,
    ...serviceStdioPaths(opts.paths, service),
    dependsOn: SERVICE_DEPENDENCIES[service],
    tuning: opts.tuning ?? DEFAULT_RESTART_TUNING,
  }));
}

export interface BuildInfraSpecOptions {
  paths: IapeerPaths;
  env: Env;
  platform: ServicePlatform;
  personality: string;
  runtime: string;
  cwd: string;
  /** Absolute argv prefix that runs the iapeer CLI (e.g. `[process.execPath, <dist/apps/cli/main.js>]`). */
  command: readonly string[];
  /** Runtime-specific variables to bake in (NOTIFIER_RUNTIME_BIN, TELEGRAM_RUNTIME_BIN, NOTIFIER_FALLBACK_TARGET…). */
  extraEnv?: Readonly<Record<string, string>>;
  tuning?: RestartTuning;
}

/** The spec of an always-on peer's own job (docs/behaviour.md §7.10). */
export function buildInfraPeerJobSpec(opts: BuildInfraSpecOptions): InfraPeerJobSpec {
  if (!isPersonality(opts.personality)) throw new IapeerError('INVALID_PERSONALITY', `invalid peer name ${JSON.stringify(opts.personality)} for an always-on job`);
  if (!isRuntime(opts.runtime)) throw new IapeerError('INVALID_RUNTIME', `invalid runtime ${JSON.stringify(opts.runtime)} for an always-on job`);
  if (opts.command.length === 0) throw new IapeerError('INVALID_INPUT', 'the always-on job needs the iapeer command (argv prefix); got an empty list');
  assertAbsolute('iapeer command', opts.command[0]);
  assertAbsolute('peer folder', opts.cwd);
  return {
    kind: 'infra-peer',
    personality: opts.personality,
    runtime: opts.runtime,
    command: [...opts.command],
    cwd: opts.cwd,
    env: { ...bakedEnvironment(opts.paths, opts.env), ...(opts.extraEnv ?? {}) },
    ...infraStdioPaths(opts.paths, opts.platform, opts.personality),
    tuning: opts.tuning ?? DEFAULT_RESTART_TUNING,
  };
}

/** The identity ABI every peer process gets (docs/behaviour.md §11). */
export function peerIdentityEnv(personality: string, runtime: string): Record<string, string> {
  return { PEER_PERSONALITY: personality, PEER_RUNTIME: runtime, PEER_IDENTITY: formatIdentity({ runtime, personality }) };
}

function assertAbsolute(what: string, p: string | undefined): void {
  if (!p || !path.isAbsolute(p)) {
    throw new IapeerError('INVALID_INPUT', `expected the ${what} to be an absolute path, got ${JSON.stringify(p)}: service managers do not search PATH or a cwd`, { data: { what, value: p } });
  }
}
