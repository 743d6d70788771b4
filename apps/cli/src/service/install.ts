import { errorLine } from '../cli-error';
import path from 'node:path';
import { assertSandboxAllows, ensureDir } from '@iapeer/storage';
import { applyInstallPlan, assertSandboxTargetDir, planInstall, serviceStdioPaths, type InstallAction } from '@iapeer/servicefiles';
import type { CliIO } from '../io';
import { assertEntriesBuilt, buildServiceContext, formatRow, jobOf } from './service-context';

const DRY_WORDS: Record<InstallAction, string> = { create: 'would create', update: 'would update', unchanged: 'unchanged', 'refused-foreign': 'REFUSED (foreign)' };

/** `iapeer service install [--dry-run] [--platform]`: write changed files, then (re)start through the manager. */
export async function runServiceInstall(io: CliIO, opts: { dryRun?: boolean; platform?: string }): Promise<void> {
  const ctx = buildServiceContext(io, opts.platform);
  assertSandboxAllows(ctx.paths, io.env);
  assertSandboxTargetDir(io.env, ctx.platform);
  assertEntriesBuilt();
  const plans = planInstall(ctx.files);
  const anyChange = plans.some((p) => p.action === 'create' || p.action === 'update');
  const refused = plans.filter((p) => p.action === 'refused-foreign');

  if (opts.dryRun) {
    io.out(`iapeer service install --dry-run: ${ctx.manager.kind} files in ${ctx.targetDir} (nothing is written or run)`);
    if (anyChange) for (const argv of ctx.manager.describe('reload')) io.out(`  would run: ${argv.join(' ')}`);
    for (const p of plans) {
      io.out(formatRow([p.file.name, DRY_WORDS[p.action], path.basename(p.file.path)]));
      if (p.reason) io.err(errorLine('service install', `${p.file.name}: ${p.reason}`));
      if (p.action === 'refused-foreign') continue;
      // a brand-new file cannot be running yet: show the plain start, not the restart path
      for (const argv of ctx.manager.describe('start', jobOf(p.file), { changed: p.action === 'update' })) io.out(`      would run: ${argv.join(' ')}`);
    }
    if (refused.length > 0) process.exitCode = 1;
    return;
  }

  ensureDir(path.dirname(serviceStdioPaths(ctx.paths, 'logd').stdoutPath));
  const results = applyInstallPlan(plans);
  let failed = refused.length > 0;
  if (results.some((r) => r.changed)) {
    const reload = await ctx.manager.reload();
    if (reload.outcome === 'failed') {
      failed = true;
      io.err(errorLine('service install', `${ctx.manager.kind} reload failed: ${reload.detail}`));
    }
  }
  io.out(`iapeer service install: ${ctx.manager.kind} files in ${ctx.targetDir}${ctx.manager.sandboxed ? ' (IAPEER_TEST_SANDBOX=1: manager calls recorded, not run)' : ''}`);
  for (const r of results) {
    if (r.outcome === 'refused-foreign') {
      io.out(formatRow([r.file.name, 'refused-foreign', path.basename(r.file.path), '-']));
      io.err(errorLine('service install', `${r.file.name}: ${r.reason}`));
      continue;
    }
    const res = await ctx.manager.start(jobOf(r.file), { changed: r.changed });
    io.out(formatRow([r.file.name, r.outcome, path.basename(r.file.path), res.outcome]));
    if (res.outcome === 'failed') {
      failed = true;
      io.err(errorLine('service install', `${r.file.name}: ${res.detail}`));
    }
  }
  io.out(`service output: ${path.dirname(serviceStdioPaths(ctx.paths, 'logd').stdoutPath)}; check with \`iapeer service status\``);
  if (failed) process.exitCode = 1;
}
