import { IapeerError } from '@iapeer/core';
import { peerIdentityEnv } from './build-specs';
import type { InfraPeerJobSpec, RestartTuning, ServiceJobSpec } from './job-spec';
import { systemdUnitName } from './labels';
import { UNIT_KIND_KEY, UNIT_SENTINEL_KEY } from './sentinel';

/** Refuses what no unit-file quoting can carry: a newline would start a new directive. */
function assertOneLine(what: string, v: string): void {
  if (/[\r\n]/.test(v) || v.endsWith('\\')) {
    throw new IapeerError('INVALID_INPUT', `cannot write ${what} ${JSON.stringify(v)} into a systemd unit: it holds a newline or ends with a backslash`, { data: { what, value: v } });
  }
}

/** `%` starts a specifier in almost every unit setting (systemd.unit(5) "Specifiers"). */
const escapeSpecifiers = (v: string) => v.replace(/%/g, '%%');

/** One ExecStart word: quoted when it is not plain, `$` doubled (no variable expansion), `%` doubled. */
export function quoteExecArg(arg: string): string {
  assertOneLine('a command argument', arg);
  const body = escapeSpecifiers(arg).replace(/\$/g, '$$$$');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(body)) return body;
  return `"${body.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `Environment="KEY=value"` with C-style quoting (systemd.exec(5)). */
export function formatEnvironmentLine(key: string, value: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new IapeerError('INVALID_INPUT', `invalid environment variable name ${JSON.stringify(key)} for a systemd unit`);
  assertOneLine(`the value of ${key}`, value);
  const body = escapeSpecifiers(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return `Environment="${key}=${body}"`;
}

function pathSetting(key: string, p: string): string {
  assertOneLine(key, p);
  return `${key}=${escapeSpecifiers(p)}`;
}

const envLines = (env: Readonly<Record<string, string>>) => Object.keys(env).sort().map((k) => formatEnvironmentLine(k, env[k]));

function restartLines(tuning: RestartTuning, restart: 'on-failure' | 'always'): string[] {
  return [`Restart=${restart}`, `RestartSec=${tuning.throttleSecs}`, `TimeoutStopSec=${tuning.stopTimeoutSecs}`];
}

const HEADER = (what: string, writer: string) => [`# ${what}. Written by iapeer; \`${writer}\` rewrites it and edits are lost.`];

/**
 * A service's systemd user unit (`iapeer-<service>.service`). Restart=on-failure with a
 * start limit; KillMode=process so stopping or restarting the supervisor never kills the
 * tmux servers it spawned (they are re-adopted from `.session` markers).
 */
export function renderServiceUnit(spec: ServiceJobSpec): string {
  const deps = spec.dependsOn.map((d) => systemdUnitName('service', d)).join(' ');
  const lines = [
    ...HEADER(`iapeer ${spec.service} service`, 'iapeer service install'),
    '[Unit]',
    `Description=iapeer ${spec.service} service`,
    ...(deps ? [`Wants=${deps}`, `After=${deps}`] : []),
    `StartLimitIntervalSec=${spec.tuning.startLimitIntervalSecs}`,
    `StartLimitBurst=${spec.tuning.startLimitBurst}`,
    `${UNIT_SENTINEL_KEY}=true`,
    `${UNIT_KIND_KEY}=service`,
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${[spec.nodePath, spec.entryPath].map(quoteExecArg).join(' ')}`,
    pathSetting('WorkingDirectory', spec.workingDirectory),
    ...envLines(spec.env),
    ...restartLines(spec.tuning, 'on-failure'),
    'KillMode=process',
    pathSetting('StandardOutput', `append:${spec.stdoutPath}`),
    pathSetting('StandardError', `append:${spec.stderrPath}`),
    '',
    '[Install]',
    'WantedBy=default.target',
  ];
  return lines.join('\n') + '\n';
}

/**
 * An always-on peer's unit (`iapeer-peer-<peer>.service`, docs/behaviour.md §7.10). Restart=always:
 * run-infra exits 0 when the session dies so the manager brings it back. KillMode=mixed:
 * SIGTERM reaches run-infra alone first, which tears its session down itself.
 */
export function renderInfraPeerUnit(spec: InfraPeerJobSpec): string {
  const argv = [...spec.command, 'run-infra', spec.personality, spec.runtime];
  const lines = [
    ...HEADER(`iapeer always-on peer ${spec.personality} (${spec.runtime})`, 'iapeer create/init'),
    '[Unit]',
    `Description=iapeer always-on peer ${spec.personality} (${spec.runtime})`,
    `StartLimitIntervalSec=${spec.tuning.startLimitIntervalSecs}`,
    `StartLimitBurst=${spec.tuning.startLimitBurst}`,
    `${UNIT_SENTINEL_KEY}=true`,
    `${UNIT_KIND_KEY}=infra-peer`,
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${argv.map(quoteExecArg).join(' ')}`,
    pathSetting('WorkingDirectory', spec.cwd),
    ...envLines({ ...spec.env, ...peerIdentityEnv(spec.personality, spec.runtime) }),
    ...restartLines(spec.tuning, 'always'),
    'KillMode=mixed',
    pathSetting('StandardOutput', `append:${spec.stdoutPath}`),
    pathSetting('StandardError', `append:${spec.stderrPath}`),
    '',
    '[Install]',
    'WantedBy=default.target',
  ];
  return lines.join('\n') + '\n';
}
