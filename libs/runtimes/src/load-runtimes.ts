import fs from 'node:fs';
import path from 'node:path';
import type { Env } from '@iapeer/core';
import type { RuntimeAdapter } from './adapter';
import { defaultBuiltins, type RuntimeFactory } from './builtins';
import { commandProblem, createManifestAdapter } from './manifest-adapter';
import { RuntimeManifestSchema } from './manifest-schema';

/** A runtime that is unavailable, and why; loading never throws for a bad manifest. */
export interface RuntimeProblem {
  /** Every refused manifest: docs/errors.md. */
  code: 'RUNTIME_MANIFEST_INVALID';
  runtime: string;
  /** The manifest file at fault. */
  path: string;
  /** The field at fault (dotted, e.g. `bootDialogs.0.match`), or null for the file as a whole. */
  field: string | null;
  /** "<path>: field "<field>": <what is wrong>" — ready to show to an operator. */
  message: string;
}

export interface LoadedRuntimes {
  /** Available adapters by runtime name. */
  adapters: Map<string, RuntimeAdapter>;
  problems: RuntimeProblem[];
}

export interface LoadRuntimesOptions {
  /** Only `runtimesDir` is read (`resolvePaths(env)` fits). */
  paths: { runtimesDir: string };
  env: Env;
  /** @default defaultBuiltins() — routers plus whatever BUILTIN_TUI_ADAPTERS holds */
  builtins?: Record<string, RuntimeFactory>;
}

/**
 * Every runtime this host can launch: the built-ins plus one custom runtime per valid
 * manifest `<runtimesDir>/<name>/runtime.json`. A bad manifest makes only its runtime
 * unavailable and is reported with its path and the field at fault.
 */
export function loadRuntimes({ paths, env, builtins = defaultBuiltins() }: LoadRuntimesOptions): LoadedRuntimes {
  const adapters = new Map<string, RuntimeAdapter>();
  const problems: RuntimeProblem[] = [];
  for (const [name, factory] of Object.entries(builtins)) adapters.set(name, factory(env));
  for (const dir of listRuntimeDirs(paths.runtimesDir)) {
    const file = path.join(paths.runtimesDir, dir, 'runtime.json');
    const problem = (field: string | null, what: string) => problems.push({ code: 'RUNTIME_MANIFEST_INVALID', runtime: dir, path: file, field, message: `${file}: ${field ? `field "${field}": ` : ''}${what}` });
    if (!fs.existsSync(file)) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      problem(null, `not valid JSON (${(err as Error).message})`);
      continue;
    }
    const parsed = RuntimeManifestSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      // An unknown key is reported on its parent; name the key itself.
      const keyPath = issue.code === 'unrecognized_keys' ? [...issue.path, ...((issue as { keys?: string[] }).keys ?? []).slice(0, 1)] : issue.path;
      const field = keyPath.length > 0 ? keyPath.join('.') : null;
      problem(field, describeIssue(issue));
      continue;
    }
    const manifest = parsed.data;
    if (manifest.runtime !== dir) {
      problem('runtime', `is "${manifest.runtime}" but the manifest lives in runtimes/${dir}/: they must match`);
      continue;
    }
    if (adapters.has(manifest.runtime) && builtins[manifest.runtime]) {
      problem('runtime', `"${manifest.runtime}" is a built-in runtime; a manifest cannot replace it (rename the directory and the runtime)`);
      continue;
    }
    const cmd = commandProblem(manifest, file);
    if (cmd) {
      problems.push({ code: 'RUNTIME_MANIFEST_INVALID', runtime: dir, path: file, field: 'command', message: cmd });
      continue;
    }
    adapters.set(manifest.runtime, createManifestAdapter(manifest));
  }
  return { adapters, problems };
}

function listRuntimeDirs(dir: string): string[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

function describeIssue(issue: { code: string; message: string; path: PropertyKey[] }): string {
  if (issue.code === 'unrecognized_keys') return issue.message.replace(/^Unrecognized key/, 'unknown key');
  return issue.message;
}
