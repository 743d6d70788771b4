import { MANAGED_SENTINEL_KEY } from '@iapeer/core';
import { peerIdentityEnv } from './build-specs';
import type { InfraPeerJobSpec, ServiceJobSpec } from './job-spec';
import { launchdLabel } from './labels';
import { renderPlist, type PlistDict } from './plist-xml';
import { PLIST_KIND_KEY } from './sentinel';

const sortedEnv = (env: Readonly<Record<string, string>>): PlistDict =>
  Object.fromEntries(Object.keys(env).sort().map((k) => [k, env[k]]));

/**
 * A service's launchd agent (`com.iapeer.<service>`). KeepAlive {SuccessfulExit=false}:
 * launchd restarts a crash but leaves a clean SIGTERM exit (exit 0) stopped.
 * AbandonProcessGroup: the supervisor's tmux servers must outlive a supervisor restart.
 */
export function renderServicePlist(spec: ServiceJobSpec): string {
  return renderPlist({
    Label: launchdLabel(spec.service),
    [MANAGED_SENTINEL_KEY]: true,
    [PLIST_KIND_KEY]: 'service',
    ProgramArguments: [spec.nodePath, spec.entryPath],
    WorkingDirectory: spec.workingDirectory,
    EnvironmentVariables: sortedEnv(spec.env),
    RunAtLoad: true,
    KeepAlive: { SuccessfulExit: false },
    ThrottleInterval: spec.tuning.throttleSecs,
    ExitTimeOut: spec.tuning.stopTimeoutSecs,
    AbandonProcessGroup: true,
    ProcessType: 'Background',
    StandardOutPath: spec.stdoutPath,
    StandardErrorPath: spec.stderrPath,
  });
}

/**
 * An always-on peer's launchd agent (`com.iapeer.<peer>`, docs/behaviour.md §7.10). KeepAlive is
 * unconditional: `run-infra` exits 0 when the session dies precisely so launchd respawns it.
 */
export function renderInfraPeerPlist(spec: InfraPeerJobSpec): string {
  return renderPlist({
    Label: launchdLabel(spec.personality),
    [MANAGED_SENTINEL_KEY]: true,
    [PLIST_KIND_KEY]: 'infra-peer',
    ProgramArguments: [...spec.command, 'run-infra', spec.personality, spec.runtime],
    WorkingDirectory: spec.cwd,
    EnvironmentVariables: sortedEnv({ ...spec.env, ...peerIdentityEnv(spec.personality, spec.runtime) }),
    RunAtLoad: true,
    KeepAlive: true,
    ThrottleInterval: spec.tuning.throttleSecs,
    ExitTimeOut: spec.tuning.stopTimeoutSecs,
    StandardOutPath: spec.stdoutPath,
    StandardErrorPath: spec.stderrPath,
  });
}
