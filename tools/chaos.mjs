#!/usr/bin/env node
// `npm run chaos`: the chaos suite (apps/e2e/src/chaos.spec.ts) with a longer budget than
// CI's, writing bench/results/chaos.json. CHAOS_SECONDS (default 300), CHAOS_PEERS,
// CHAOS_CLIENTS, CHAOS_SEED, CHAOS_FAULT_MIN_MS/MAX_MS, CHAOS_DRAIN_MS override.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(process.execPath, [path.join(root, 'tools', 'build.mjs')], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);
const env = { ...process.env, CHAOS_SECONDS: process.env.CHAOS_SECONDS ?? '300', CHAOS_WRITE_RESULT: '1', IAPEER_REPO_ROOT: root };
const jest = path.join(root, 'node_modules', '.bin', 'jest');
const r = spawnSync(jest, ['-c', 'apps/e2e/jest.config.cjs', '--runTestsByPath', 'apps/e2e/src/chaos.spec.ts', '--verbose', ...process.argv.slice(2)], { stdio: 'inherit', cwd: root, env });
process.exit(r.status ?? 1);
