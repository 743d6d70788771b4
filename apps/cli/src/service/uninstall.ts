import { errorLine } from '../cli-error';
import path from 'node:path';
import { applyRemovePlan, planRemove } from '@iapeer/servicefiles';
import type { CliIO } from '../io';
import { buildServiceContext, formatRow, jobOf } from './service-context';

/** `iapeer service uninstall [--dry-run]`: stop and remove our files; a foreign file is reported and left alone. */
export async function runServiceUninstall(io: CliIO, opts: { dryRun?: boolean; platform?: string }): Promise<void> {
  const ctx = buildServiceContext(io, opts.platform);
  const plans = planRemove(ctx.files);
  const refused = plans.filter((p) => p.action === 'refused-foreign');
  for (const p of refused) io.err(errorLine('service uninstall', `${p.file.name}: ${p.reason}`));

  if (opts.dryRun) {
    io.out(`iapeer service uninstall --dry-run: ${ctx.manager.kind} files in ${ctx.targetDir} (nothing is removed or run)`);
    for (const p of plans) {
      io.out(formatRow([p.file.name, p.action === 'remove' ? 'would remove' : p.action, path.basename(p.file.path)]));
      if (p.action === 'remove') for (const argv of ctx.manager.describe('stop', jobOf(p.file))) io.out(`      would run: ${argv.join(' ')}`);
    }
    if (plans.some((p) => p.action === 'remove')) for (const argv of ctx.manager.describe('reload')) io.out(`  would run: ${argv.join(' ')}`);
    if (refused.length > 0) process.exitCode = 1;
    return;
  }

  let failed = refused.length > 0;
  io.out(`iapeer service uninstall: ${ctx.manager.kind} files in ${ctx.targetDir}`);
  // stop each job before its file goes: the manager needs the file to know what to stop
  const stopped = new Map<string, string>();
  for (const p of plans.filter((x) => x.action === 'remove')) {
    const res = await ctx.manager.stop(jobOf(p.file));
    stopped.set(p.file.name, res.outcome);
    if (res.outcome === 'failed') {
      failed = true;
      io.err(errorLine('service uninstall', `${p.file.name}: ${res.detail}; the file is removed anyway`));
    }
  }
  applyRemovePlan(plans);
  if (stopped.size > 0) await ctx.manager.reload();
  for (const p of plans) io.out(formatRow([p.file.name, p.action === 'remove' ? 'removed' : p.action, path.basename(p.file.path), stopped.get(p.file.name) ?? '-']));
  if (failed) process.exitCode = 1;
}
