import type { ServiceName } from '@iapeer/core';

/** The host service managers iapeer writes files for. */
export type ServicePlatform = 'darwin' | 'linux';

/** Which iapeer thing a managed file holds: one of the five services, or an always-on peer. */
export type JobKind = 'service' | 'infra-peer';

/** Restart tuning shared by both managers. */
export interface RestartTuning {
  /** launchd ThrottleInterval and systemd RestartSec, in seconds. */
  throttleSecs: number;
  /** systemd StartLimitIntervalSec: the window in which `burst` starts are allowed. */
  startLimitIntervalSecs: number;
  /** systemd StartLimitBurst. */
  startLimitBurst: number;
  /** Grace between SIGTERM and SIGKILL on stop (launchd ExitTimeOut, systemd TimeoutStopSec). */
  stopTimeoutSecs: number;
}

/**
 * @default throttle 10 s (launchd's own minimum is 10), 5 starts per 300 s, 15 s stop grace
 * (a service finishes in-flight calls on SIGTERM).
 */
export const DEFAULT_RESTART_TUNING: RestartTuning = {
  throttleSecs: 10,
  startLimitIntervalSecs: 300,
  startLimitBurst: 5,
  stopTimeoutSecs: 15,
};

/** Everything needed to render one service's plist or unit; every path absolute. */
export interface ServiceJobSpec {
  kind: 'service';
  service: ServiceName;
  /** Absolute node binary (process.execPath at install time). */
  nodePath: string;
  /** Absolute `dist/apps/<service>/main.js`. */
  entryPath: string;
  workingDirectory: string;
  /** Environment baked into the file (rendered sorted by key). */
  env: Readonly<Record<string, string>>;
  stdoutPath: string;
  stderrPath: string;
  /** Services this one calls: systemd `Wants=`/`After=` (launchd has no ordering; services wait for each other). */
  dependsOn: readonly ServiceName[];
  tuning: RestartTuning;
}

/** An always-on (infra) peer held by the service manager running `iapeer run-infra <peer> <runtime>` (docs/behaviour.md §7.10). */
export interface InfraPeerJobSpec {
  kind: 'infra-peer';
  personality: string;
  runtime: string;
  /** Absolute argv prefix that runs the iapeer CLI, e.g. `[node, /abs/dist/apps/cli/main.js]`; `run-infra <p> <rt>` is appended. */
  command: readonly string[];
  /** The peer's folder (WorkingDirectory). */
  cwd: string;
  /** Extra environment (PATH, overrides, runtime bins); the PEER_* identity ABI is added by the generators. */
  env: Readonly<Record<string, string>>;
  stdoutPath: string;
  stderrPath: string;
  tuning: RestartTuning;
}

export type JobSpec = ServiceJobSpec | InfraPeerJobSpec;

/** One rendered file, ready for the writer. */
export interface ServiceFile {
  kind: JobKind;
  /** The service name or the peer's personality. */
  name: string;
  platform: ServicePlatform;
  /** launchd Label or systemd unit name: what the manager is told. */
  label: string;
  path: string;
  content: string;
  /** 0644, or 0600 when the baked environment holds a secret (IAPEER_BEARER_TOKEN). */
  mode: number;
}
