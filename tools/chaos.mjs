#!/usr/bin/env node
// `npm run chaos`: build the service bundles, then the chaos bench (bench/chaos/run.ts),
// which runs apps/e2e/src/chaos.spec.ts with a longer budget than CI's and writes
// bench/results/chaos.json. CHAOS_SECONDS (default 300), CHAOS_PEERS, CHAOS_CLIENTS,
// CHAOS_SEED, CHAOS_FAULT_MIN_MS/MAX_MS, CHAOS_AGENT_SHARE, CHAOS_SERVICES, CHAOS_DRAIN_MS override.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(process.execPath, [path.join(root, 'tools', 'build.mjs')], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);
const r = spawnSync(process.execPath, [path.join(root, 'tools', 'bench.mjs'), 'chaos', ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
