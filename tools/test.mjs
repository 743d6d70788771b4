#!/usr/bin/env node
// `npm test`: build the bundles (integration tests run the real processes), typecheck,
// lint, then every project's Jest suite through Nx; ends with one plain summary line
// "N passed, N failed" aggregated from the Jest JSON reports.
// Extra args go to `nx run-many` (e.g. `npm test -- --projects=lib-core`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const env = { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_TUI: 'false', FORCE_COLOR: '0' };
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const step = (label, cmd, args) => {
  const t0 = Date.now();
  console.log(`\n== ${label}: ${[path.basename(cmd), ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  console.log(`== ${label}: ${r.status === 0 ? 'ok' : `failed (exit ${r.status})`} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return r.status === 0;
};

fs.rmSync(path.join(root, 'tmp', 'test-results'), { recursive: true, force: true });
fs.mkdirSync(path.join(root, 'tmp', 'test-results'), { recursive: true });
const extra = process.argv.slice(2);
let ok = step('build', process.execPath, ['tools/build.mjs']);
ok = step('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']) && ok;
ok = step('lint', bin('nx'), ['run-many', '-t', 'lint', '--output-style=stream', ...extra]) && ok;
ok = step('test', bin('nx'), ['run-many', '-t', 'test', '--parallel=2', '--output-style=stream', '--skip-nx-cache', ...extra]) && ok;

let passed = 0;
let failed = 0;
const dir = path.join(root, 'tmp', 'test-results');
for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
  const r = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
}
if (passed === 0) ok = false;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
