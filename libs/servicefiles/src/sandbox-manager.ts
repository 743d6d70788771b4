import fs from 'node:fs';
import { readTextIfExists } from '@iapeer/storage';
import path from 'node:path';
import { IapeerError, type Env, type IapeerPaths } from '@iapeer/core';
import type { ServicePlatform } from './job-spec';
import type { ManagerResult, ServiceManager } from './service-manager';

/** One recorded no-op: what the real manager would have run. */
export interface JournalEntry {
  ts: string;
  manager: 'launchd' | 'systemd';
  action: 'reload' | 'start' | 'stop' | 'query';
  label?: string;
  changed?: boolean;
  argv: string[][];
  state: 'skipped-sandbox';
}

/** `<root>/state/iapeer/service-manager.journal`: NDJSON, one line per sandboxed manager call. */
export function serviceManagerJournalPath(paths: IapeerPaths): string {
  return path.join(paths.serviceStateDir, 'service-manager.journal');
}

export function readServiceManagerJournal(file: string): JournalEntry[] {
  const text = readTextIfExists(file);
  if (text === null) return [];
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as JournalEntry);
}

/** True when IAPEER_TEST_SANDBOX=1 in the passed env or in process.env (docs/behaviour.md §3.1: both are checked). */
export function isTestSandbox(env: Env): boolean {
  return env.IAPEER_TEST_SANDBOX === '1' || process.env.IAPEER_TEST_SANDBOX === '1';
}

/**
 * Under the sandbox the target directory must be relocated explicitly: a sandboxed run
 * never writes the real ~/Library/LaunchAgents or ~/.config/systemd/user.
 */
export function assertSandboxTargetDir(env: Env, platform: ServicePlatform): void {
  if (!isTestSandbox(env)) return;
  const key = platform === 'darwin' ? 'IAPEER_LAUNCHAGENTS_DIR' : 'IAPEER_SYSTEMD_USER_DIR';
  if (!env[key]) {
    throw new IapeerError('SANDBOX_REFUSED', `IAPEER_TEST_SANDBOX=1 refuses to write service files to the default directory; set ${key} to a temporary directory`, { data: { key } });
  }
}

/**
 * Wraps a real manager: every call is appended to the journal with the argv the real
 * one would run, and answers `skipped-sandbox`. Nothing is executed.
 */
export function createSandboxManager(real: ServiceManager, journalFile: string, now: () => Date = () => new Date()): ServiceManager {
  const record = (entry: Omit<JournalEntry, 'ts' | 'manager' | 'state'>) => {
    fs.mkdirSync(path.dirname(journalFile), { recursive: true, mode: 0o700 });
    const line: JournalEntry = { ts: now().toISOString(), manager: real.kind, ...entry, state: 'skipped-sandbox' };
    fs.appendFileSync(journalFile, JSON.stringify(line) + '\n', { mode: 0o600 });
  };
  const skipped: ManagerResult = { outcome: 'skipped-sandbox' };
  return {
    kind: real.kind,
    sandboxed: true,
    async reload() {
      record({ action: 'reload', argv: real.describe('reload') });
      return real.kind === 'launchd' ? { outcome: 'not-needed' } : skipped;
    },
    async start(job, opts) {
      record({ action: 'start', label: job.label, changed: opts.changed, argv: real.describe('start', job, opts) });
      return skipped;
    },
    async stop(job) {
      record({ action: 'stop', label: job.label, argv: real.describe('stop', job) });
      return skipped;
    },
    async query(job) {
      record({ action: 'query', label: job.label, argv: real.describe('query', job) });
      return 'skipped-sandbox';
    },
    describe: (action, job, opts) => real.describe(action, job, opts),
  };
}
