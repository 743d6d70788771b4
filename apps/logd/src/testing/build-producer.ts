import path from 'node:path';
import { buildSync } from 'esbuild';

/** Bundles testing/producer.ts once (same libs as the apps) and returns the script path. */
export function buildProducer(repoRoot: string): string {
  const outfile = path.join(repoRoot, 'tmp', 'fixtures', `logd-producer-${process.pid}.js`);
  buildSync({ entryPoints: [path.join(repoRoot, 'apps', 'logd', 'src', 'testing', 'producer.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', tsconfig: path.join(repoRoot, 'tsconfig.base.json'), logLevel: 'warning' });
  return outfile;
}

