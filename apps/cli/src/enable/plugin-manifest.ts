import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The iapeer part of a capability plugin: `iapeer.json` at the plugin's root.
 * `setup` is an argv (never a shell string); a first word starting with `./` is
 * relative to the plugin folder. It runs in the peer's folder after install and must
 * be idempotent: `enable` runs it every time.
 *
 * @example { "name": "review-kit", "setup": ["./bin/setup", "--quiet"] }
 */
export const PluginManifestSchema = z
  .object({
    name: z.string().optional(),
    setup: z.union([z.array(z.string().min(1)).min(1), z.object({ command: z.array(z.string().min(1)).min(1), timeoutSecs: z.number().int().positive().optional() })]).optional(),
  })
  .passthrough();

export interface PluginSetup {
  argv: string[];
  timeoutMs: number;
}

export interface LocatedManifest {
  dir: string;
  setup: PluginSetup | undefined;
}

/** @default 300 s: a setup may fetch or build things. */
const DEFAULT_SETUP_TIMEOUT_MS = 300_000;
const MAX_DEPTH = 5;

/**
 * Folders holding the plugin's iapeer.json under one root, at most MAX_DEPTH deep:
 * `…/<name>/iapeer.json` (a plain plugin folder) or `…/<name>/<version>/iapeer.json`
 * (the claude plugin cache layout, one folder per version).
 */
function findPluginDirs(dir: string, name: string, depth = 0): string[] {
  if (depth > MAX_DEPTH) return [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return []; // a root that does not exist (no claude, no codex) has nothing to offer
  }
  const hasManifest = entries.some((e) => e.isFile() && e.name === 'iapeer.json');
  const base = path.basename(dir);
  if (hasManifest && (base === name || path.basename(path.dirname(dir)) === name)) return [dir];
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).flatMap((e) => findPluginDirs(path.join(dir, e.name), name, depth + 1));
}

/**
 * Finds a plugin's iapeer.json under the plugin roots (iapeer's own `<root>/plugins`,
 * claude's `~/.claude/plugins`, codex's `$CODEX_HOME/plugins`), newest first.
 * Returns null when the plugin ships none (it then has no setup).
 */
export function locatePluginManifest(pluginName: string, roots: readonly string[]): LocatedManifest | null {
  const dirs = roots.flatMap((r) => findPluginDirs(r, pluginName));
  if (dirs.length === 0) return null;
  const newest = dirs
    .map((d) => ({ d, mtime: fs.statSync(path.join(d, 'iapeer.json')).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime)[0].d;
  return { dir: newest, setup: readSetup(newest) };
}

export function readSetup(dir: string): PluginSetup | undefined {
  const file = path.join(dir, 'iapeer.json');
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = PluginManifestSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  const setup = parsed.data.setup;
  if (!setup) return undefined;
  const [argv, timeoutMs] = Array.isArray(setup) ? [setup, DEFAULT_SETUP_TIMEOUT_MS] : [setup.command, (setup.timeoutSecs ?? DEFAULT_SETUP_TIMEOUT_MS / 1000) * 1000];
  const [first, ...rest] = argv;
  return { argv: [first.startsWith('./') ? path.join(dir, first) : first, ...rest], timeoutMs };
}
