#!/usr/bin/env node
// `npm run bench -- <name> [--quick]`: runs bench/<name>/run.ts (bundled on the fly with
// esbuild so it uses the same libs as the apps), which prints a one-line JSON summary
// last and writes bench/results/<name>.json; then refreshes the table in bench/README.md.
import { buildSync } from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [name, ...rest] = process.argv.slice(2);
const benches = fs.readdirSync(path.join(root, 'bench')).filter((d) => fs.existsSync(path.join(root, 'bench', d, 'run.ts')));
if (!name || !benches.includes(name)) {
  console.error(`usage: npm run bench -- <name> [--quick]\navailable: ${benches.join(', ') || '(none)'}`);
  process.exit(2);
}
const out = path.join(root, 'tmp', 'bench', `${name}.js`);
// playwright-core (the console bench drives Chromium) loads its own files at run time: not bundled
buildSync({ entryPoints: [path.join(root, 'bench', name, 'run.ts')], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', tsconfig: path.join(root, 'tsconfig.base.json'), logLevel: 'warning', external: ['playwright-core'] });
const r = spawnSync(process.execPath, [out, ...rest], { stdio: 'inherit', env: { ...process.env, IAPEER_REPO_ROOT: root } });
if (r.status !== 0) process.exit(r.status ?? 1);

// Refresh the headline table of bench/README.md from every result file.
const resultsDir = path.join(root, 'bench', 'results');
const rows = fs
  .readdirSync(resultsDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => {
    const r = JSON.parse(fs.readFileSync(path.join(resultsDir, f), 'utf8'));
    const h = r.headline ?? {};
    const fmt = (v) => (v === null || v === undefined ? '—' : typeof v === 'number' ? +v.toPrecision(4) : v);
    return `| ${f.replace(/\.json$/, '')} | ${h.metric} | ${fmt(h.value)} ${h.unit ?? ''} | ${fmt(h.baseline)} | ${fmt(h.ratio)} | ${h.goal ?? ''} | ${r.date?.slice(0, 10) ?? ''} |`;
  });
const readme = path.join(root, 'bench', 'README.md');
const text = fs.readFileSync(readme, 'utf8');
const table = ['| bench | metric | value | baseline | ratio | goal | date |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
fs.writeFileSync(readme, text.replace(/<!-- results -->[\s\S]*<!-- \/results -->/, `<!-- results -->\n${table}\n<!-- /results -->`));
void os;
