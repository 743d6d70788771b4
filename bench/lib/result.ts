import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The headline every result file carries (bench/README.md shows it). */
export interface Headline {
  metric: string;
  unit: string;
  value: number;
  baseline: number | null;
  ratio: number | null;
  goal: string;
}

export const repoRoot = () => process.env.IAPEER_REPO_ROOT ?? path.resolve(__dirname, '../..');
export const isQuick = () => process.argv.includes('--quick');

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summarize(samples: number[]): { n: number; p50: number; p99: number; mean: number; min: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), mean: s.reduce((a, b) => a + b, 0) / s.length, min: s[0], max: s[s.length - 1] };
}

/** Writes bench/results/<name>.json and prints the one-line JSON summary as the last line. */
export function writeResult(name: string, headline: Headline, figures: Record<string, unknown>): void {
  const result = { name, date: new Date().toISOString(), machine: { cores: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.release()}`, loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100) }, quick: isQuick(), headline, ...figures };
  const dir = path.join(repoRoot(), 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify({ name, ...headline }));
}
