import type { IapeerPaths } from '@iapeer/core';
import type { JobSpec, ServiceFile, ServicePlatform } from './job-spec';
import { jobFilePath, jobLabel } from './labels';
import { renderInfraPeerPlist, renderServicePlist } from './launchd-files';
import { renderInfraPeerUnit, renderServiceUnit } from './systemd-files';

/** Variables whose value is a secret: a file holding one is written 0600 instead of 0644. */
export const SECRET_ENV_KEYS: readonly string[] = ['IAPEER_BEARER_TOKEN'];

/** Renders one job for one platform, with its label, target path and file mode. */
export function renderJobFile(paths: IapeerPaths, platform: ServicePlatform, spec: JobSpec): ServiceFile {
  const name = spec.kind === 'service' ? spec.service : spec.personality;
  const content =
    platform === 'darwin'
      ? spec.kind === 'service' ? renderServicePlist(spec) : renderInfraPeerPlist(spec)
      : spec.kind === 'service' ? renderServiceUnit(spec) : renderInfraPeerUnit(spec);
  const secret = SECRET_ENV_KEYS.some((k) => spec.env[k] !== undefined);
  return {
    kind: spec.kind,
    name,
    platform,
    label: jobLabel(platform, spec.kind, name),
    path: jobFilePath(paths, platform, spec.kind, name),
    content,
    mode: secret ? 0o600 : 0o644,
  };
}

export function renderJobFiles(paths: IapeerPaths, platform: ServicePlatform, specs: readonly JobSpec[]): ServiceFile[] {
  return specs.map((s) => renderJobFile(paths, platform, s));
}
