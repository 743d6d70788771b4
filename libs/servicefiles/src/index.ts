export {
  DEFAULT_RESTART_TUNING,
  type ServicePlatform, type JobKind, type RestartTuning, type ServiceJobSpec, type InfraPeerJobSpec, type JobSpec, type ServiceFile,
} from './job-spec';
export { launchdLabel, systemdUnitName, jobLabel, jobFilePath, resolveServicePlatform } from './labels';
export {
  SERVICE_DEPENDENCIES, serviceStdioPaths, infraStdioPaths, bakedEnvironment, buildServiceJobSpecs, buildInfraPeerJobSpec, peerIdentityEnv,
  type BuildServiceSpecsOptions, type BuildInfraSpecOptions,
} from './build-specs';
export { renderPlist, escapeXmlText, type PlistValue, type PlistDict } from './plist-xml';
export { renderServicePlist, renderInfraPeerPlist } from './launchd-files';
export { renderServiceUnit, renderInfraPeerUnit, quoteExecArg, formatEnvironmentLine } from './systemd-files';
export { renderJobFile, renderJobFiles, SECRET_ENV_KEYS } from './render-files';
export { classifyServiceFile, PLIST_KIND_KEY, UNIT_SENTINEL_KEY, UNIT_KIND_KEY, type FileOwnership } from './sentinel';
export {
  planInstall, applyInstallPlan, writeServiceFiles, writeServiceFileOrThrow, refusalReason, planRemove, applyRemovePlan, inspectServiceFile,
  type InstallAction, type InstallPlan, type WriteOutcome, type WriteResult, type RemoveAction, type RemovePlan, type FileStatus,
} from './write-files';
export { runCommand, describeFailure, type CommandRunner, type CommandResult, type RunOptions } from './command-runner';
export type { ServiceManager, ManagedJob, ManagerOutcome, ManagerResult, JobState } from './service-manager';
export { createLaunchdManager, BOOTSTRAP_BACKOFF_MS, BOOTOUT_SETTLE_MS, type LaunchdDeps } from './launchd-manager';
export { createSystemdManager } from './systemd-manager';
export {
  createSandboxManager, serviceManagerJournalPath, readServiceManagerJournal, isTestSandbox, assertSandboxTargetDir, type JournalEntry,
} from './sandbox-manager';
export { createServiceManager, type CreateManagerOptions } from './create-manager';
export { lintPlist } from './plist-lint';
export { lintUnit, unitValues, type UnitFile } from './unit-lint';
export { readJobPresence, isHeldByServiceManager, assertPeerJobNotForeign, type JobPresence } from './job-guard';
