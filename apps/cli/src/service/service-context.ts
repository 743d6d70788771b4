import fs from 'node:fs';
import path from 'node:path';
import { isIapeerError, resolvePaths, SERVICE_NAMES, type IapeerPaths } from '@iapeer/core';
import {
  buildServiceJobSpecs, createServiceManager, renderJobFiles, resolveServicePlatform,
  type ManagedJob, type ServiceFile, type ServiceManager, type ServicePlatform,
} from '@iapeer/servicefiles';
import { CliError } from '../cli-error';
import type { CliIO } from '../io';

/** Everything one `iapeer service …` run works on. */
export interface ServiceContext {
  platform: ServicePlatform;
  paths: IapeerPaths;
  files: ServiceFile[];
  manager: ServiceManager;
  targetDir: string;
}

/** dist/apps beside this bundle (dist/apps/cli/main.js): where the service entry points are. */
export const distAppsDir = () => path.resolve(__dirname, '..');

export function buildServiceContext(io: CliIO, platformOpt: string | undefined): ServiceContext {
  let platform: ServicePlatform;
  try {
    platform = resolveServicePlatform(platformOpt ?? process.platform);
  } catch (err) {
    if (isIapeerError(err)) throw new CliError(err.message, 2);
    throw err;
  }
  const paths = resolvePaths(io.env);
  const specs = buildServiceJobSpecs({ paths, env: io.env, nodePath: process.execPath, distAppsDir: distAppsDir() });
  return {
    platform,
    paths,
    files: renderJobFiles(paths, platform, specs),
    manager: createServiceManager({ platform, env: io.env, paths }),
    targetDir: platform === 'darwin' ? paths.launchAgentsDir : paths.systemdUserDir,
  };
}

/** The service entry points must exist before a manager is pointed at them. */
export function assertEntriesBuilt(): void {
  const missing = SERVICE_NAMES.map((s) => path.join(distAppsDir(), s, 'main.js')).filter((p) => !fs.existsSync(p));
  if (missing.length > 0) throw new CliError(`the service bundles are missing (${missing.join(', ')}); run \`npm run build\` in the iapeer checkout first`);
}

export const jobOf = (f: ServiceFile): ManagedJob => ({ label: f.label, file: f.path });

/** `  registry    written      iapeer-registry.service    loaded` */
export function formatRow(cells: string[]): string {
  const widths = [11, 17, 34];
  return '  ' + cells.map((c, i) => (i < widths.length ? c.padEnd(widths[i]) : c)).join(' ').trimEnd();
}
