// `npm run chaos` (or `npm run bench -- chaos`): runs the chaos suite (apps/e2e/src/chaos.spec.ts)
// for CHAOS_SECONDS (default 300; --quick 60), then writes bench/results/chaos.json from the
// summary the spec leaves in CHAOS_SUMMARY_FILE. The spec is the single implementation;
// this only gives it a longer budget and records the result.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isQuick, repoRoot, writeResult } from '../lib/result';

function main(): void {
  const root = repoRoot();
  const summaryFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'iap-chaos-')), 'summary.json');
  const seconds = process.env.CHAOS_SECONDS ?? (isQuick() ? '60' : '300');
  const jest = path.join(root, 'node_modules', '.bin', 'jest');
  const r = spawnSync(jest, ['-c', 'apps/e2e/jest.config.cjs', '--runTestsByPath', 'apps/e2e/src/chaos.spec.ts', '--verbose'], {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, CHAOS_SECONDS: seconds, CHAOS_SUMMARY_FILE: summaryFile },
  });
  if (!fs.existsSync(summaryFile)) {
    console.error('chaos: the run ended without a summary (see the output above)');
    process.exit(r.status || 1);
  }
  const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
  fs.rmSync(path.dirname(summaryFile), { recursive: true, force: true });
  writeResult(
    'chaos',
    { metric: 'lost + duplicated sends', unit: 'sends', value: summary.lost + summary.duplicates, baseline: null, ratio: null, goal: '0' },
    { sends: summary.sends, kills: summary.kills, seconds: summary.seconds, summary },
  );
  // the audit's verdict is the spec's: a failed assertion fails the command
  process.exit(r.status ?? 1);
}

main();
