import path from 'node:path';
import { inspectServiceFile, type FileStatus, type JobState } from '@iapeer/servicefiles';
import type { CliIO } from '../io';
import { buildServiceContext, formatRow, jobOf } from './service-context';

interface Row {
  service: string;
  file: FileStatus;
  path: string;
  manager: JobState | '-';
  reason?: string;
}

/** `iapeer service status [--json]`: per service, its file (missing/ours/stale/foreign) and the manager's state. */
export async function runServiceStatus(io: CliIO, opts: { platform?: string; json?: boolean }): Promise<void> {
  const ctx = buildServiceContext(io, opts.platform);
  const rows: Row[] = [];
  for (const f of ctx.files) {
    const { status, reason } = inspectServiceFile(f);
    const manager = status === 'missing' ? '-' : await ctx.manager.query(jobOf(f));
    rows.push({ service: f.name, file: status, path: f.path, manager, ...(reason ? { reason } : {}) });
  }
  if (opts.json) {
    io.out(JSON.stringify({ platform: ctx.platform, manager: ctx.manager.kind, sandboxed: ctx.manager.sandboxed, dir: ctx.targetDir, services: rows }));
    return;
  }
  io.out(`iapeer services under ${ctx.manager.kind} (${ctx.targetDir})`);
  for (const r of rows) io.out(formatRow([r.service, r.file, path.basename(r.path), r.manager]));
  for (const r of rows) if (r.reason) io.out(`  ${r.service}: ${r.reason}`);
  if (rows.some((r) => r.file === 'stale')) io.out('stale: the file differs from what `iapeer service install` would write now; run it again');
}
