import fs from 'node:fs';
import path from 'node:path';
import { IapeerError } from '@iapeer/core';
import { writeFileAtomic } from '@iapeer/storage';
import type { ServiceFile } from './job-spec';
import { classifyServiceFile } from './sentinel';

/**
 * What installing one file means:
 * - `create`: nothing at the path yet;
 * - `update`: our file, different content;
 * - `unchanged`: our file, same content (never rewritten: launchd/macOS nag on every write);
 * - `refused-foreign`: a file without our sentinel, or ours for another kind of job.
 */
export type InstallAction = 'create' | 'update' | 'unchanged' | 'refused-foreign';

export interface InstallPlan {
  file: ServiceFile;
  action: InstallAction;
  /** Why a file was refused. */
  reason?: string;
}

/** What happened to one file: `written` covers create and update. */
export type WriteOutcome = 'written' | 'unchanged' | 'refused-foreign';

export interface WriteResult {
  file: ServiceFile;
  outcome: WriteOutcome;
  /** Whether the content on disk changed (a loaded job must be reloaded). */
  changed: boolean;
  reason?: string;
}

const formatOf = (f: ServiceFile) => (f.platform === 'darwin' ? 'plist' : 'unit');

function readIfExists(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Decides, without writing, what install would do to each file (the `--dry-run` view). */
export function planInstall(files: readonly ServiceFile[]): InstallPlan[] {
  return files.map((file) => {
    const existing = readIfExists(file.path);
    if (existing === undefined) return { file, action: 'create' };
    const refusal = refusalReason(file, existing);
    if (refusal) return { file, action: 'refused-foreign', reason: refusal };
    return { file, action: existing === file.content ? 'unchanged' : 'update' };
  });
}

/** Why an existing file at our path must not be touched, or undefined when it is ours for this job. */
export function refusalReason(file: ServiceFile, existing: string): string | undefined {
  const own = classifyServiceFile(existing, formatOf(file));
  if (own.owner === 'foreign') {
    return `${file.path} exists without the iapeer sentinel (a foreign job at label ${file.label}); iapeer never overwrites it — move it away to let iapeer manage ${file.name}`;
  }
  if (own.kind !== undefined && own.kind !== file.kind) {
    return `${file.path} holds an iapeer ${own.kind} job, not the ${file.kind} ${file.name}: the names collide at label ${file.label}; rename the peer or remove that job first`;
  }
  return undefined;
}

/** Applies a plan: creates the target directory (0700 only for dirs it creates), writes atomically, never touches refused or unchanged files. */
export function applyInstallPlan(plans: readonly InstallPlan[]): WriteResult[] {
  return plans.map(({ file, action, reason }) => {
    switch (action) {
      case 'refused-foreign':
        return { file, outcome: 'refused-foreign', changed: false, reason };
      case 'unchanged':
        return { file, outcome: 'unchanged', changed: false };
      case 'create':
      case 'update':
        fs.mkdirSync(path.dirname(file.path), { recursive: true, mode: 0o700 });
        writeFileAtomic(file.path, file.content, { mode: file.mode });
        return { file, outcome: 'written', changed: true };
      default:
        return assertNever(action);
    }
  });
}

/** plan + apply: the writer every caller uses. */
export function writeServiceFiles(files: readonly ServiceFile[]): WriteResult[] {
  return applyInstallPlan(planInstall(files));
}

/** Writes one file or throws FOREIGN_SERVICE_FILE: for callers (create/init of an infra peer) that must not go on. */
export function writeServiceFileOrThrow(file: ServiceFile): WriteResult {
  const [result] = writeServiceFiles([file]);
  if (result.outcome === 'refused-foreign') {
    throw new IapeerError('FOREIGN_SERVICE_FILE', result.reason ?? `refusing to overwrite ${file.path}`, { data: { path: file.path, label: file.label } });
  }
  return result;
}

/** What uninstalling one file means: `remove` ours, leave `missing` and foreign files alone. */
export type RemoveAction = 'remove' | 'missing' | 'refused-foreign';

export interface RemovePlan {
  file: ServiceFile;
  action: RemoveAction;
  reason?: string;
}

export function planRemove(files: readonly ServiceFile[]): RemovePlan[] {
  return files.map((file) => {
    const existing = readIfExists(file.path);
    if (existing === undefined) return { file, action: 'missing' };
    const refusal = refusalReason(file, existing);
    return refusal ? { file, action: 'refused-foreign', reason: refusal } : { file, action: 'remove' };
  });
}

/** Removes the files planned for removal; returns the plans unchanged for reporting. */
export function applyRemovePlan(plans: readonly RemovePlan[]): RemovePlan[] {
  for (const p of plans) if (p.action === 'remove') fs.rmSync(p.file.path, { force: true });
  return [...plans];
}

/** State of a file for `service status`. `stale`: ours, but install would write different content. */
export type FileStatus = 'missing' | 'ours' | 'stale' | 'foreign';

export function inspectServiceFile(file: ServiceFile): { status: FileStatus; reason?: string } {
  const existing = readIfExists(file.path);
  if (existing === undefined) return { status: 'missing' };
  const refusal = refusalReason(file, existing);
  if (refusal) return { status: 'foreign', reason: refusal };
  return { status: existing === file.content ? 'ours' : 'stale' };
}

function assertNever(x: never): never {
  throw new Error(`unhandled install action ${String(x)}`);
}
