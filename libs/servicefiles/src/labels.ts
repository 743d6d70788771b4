import path from 'node:path';
import { IapeerError, SERVICE_LABEL_PREFIX, type IapeerPaths } from '@iapeer/core';
import type { JobKind, ServicePlatform } from './job-spec';

/** launchd label of a service or an infra peer: `com.iapeer.<name>` (docs/behaviour.md §7.3, §7.10). */
export function launchdLabel(name: string): string {
  return `${SERVICE_LABEL_PREFIX}${name}`;
}

/** systemd user unit name: `iapeer-<service>.service` or `iapeer-peer-<peer>.service`. */
export function systemdUnitName(kind: JobKind, name: string): string {
  return kind === 'service' ? `iapeer-${name}.service` : `iapeer-peer-${name}.service`;
}

/** Label (launchd) or unit name (systemd) for a job. */
export function jobLabel(platform: ServicePlatform, kind: JobKind, name: string): string {
  return platform === 'darwin' ? launchdLabel(name) : systemdUnitName(kind, name);
}

/** Where the file for a job lives: paths.launchAgentsDir / paths.systemdUserDir (IAPEER_LAUNCHAGENTS_DIR / IAPEER_SYSTEMD_USER_DIR). */
export function jobFilePath(paths: IapeerPaths, platform: ServicePlatform, kind: JobKind, name: string): string {
  return platform === 'darwin'
    ? path.join(paths.launchAgentsDir, `${launchdLabel(name)}.plist`)
    : path.join(paths.systemdUserDir, systemdUnitName(kind, name));
}

/** Validates a platform string (process.platform or `--platform`). */
export function resolveServicePlatform(raw: string): ServicePlatform {
  if (raw === 'darwin' || raw === 'linux') return raw;
  throw new IapeerError(
    'INVALID_INPUT',
    `unsupported platform "${raw}": iapeer writes launchd plists (darwin) or systemd user units (linux); pass --platform darwin|linux`,
    { data: { platform: raw } },
  );
}
