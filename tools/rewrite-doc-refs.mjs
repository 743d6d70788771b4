#!/usr/bin/env node
// Rewrites citations of the design brief's documents into citations of the repository's
// own docs, in place: `BEHAVIOUR §7.4` → `docs/behaviour.md §7.4`, `STACK.md` →
// `docs/notes/stack.md`, `ARCHITECTURE "Runtimes"` → `docs/architecture.md "Runtimes"`,
// `STYLE §4` → `CONTRIBUTING.md "House style"`. Idempotent: what it writes never matches
// again, so it is safe to re-run after a merge brings new comments:
//   node tools/rewrite-doc-refs.mjs            (rewrite, list the files changed)
//   node tools/rewrite-doc-refs.mjs --check    (change nothing, exit 1 if something would change)
//   --root <dir>                               (another checkout; default: this one)
// What it cannot decide (a quoted heading that changed name, a reference split over two
// lines) is left for a human; tools/doc-refs/doc-refs.spec.ts points at it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const rootArg = process.argv.indexOf('--root');
const ROOT = rootArg > 0 ? path.resolve(process.argv[rootArg + 1]) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOPS = ['apps', 'libs', 'docs', 'bench', 'tools', 'README.md', 'CONTRIBUTING.md', 'jest.preset.js', 'eslint.config.mjs'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'tmp', 'coverage', '.git']);
// These files spell the old names on purpose (the rule, its fixtures, this script).
const SKIP_FILES = new Set(['tools/rewrite-doc-refs.mjs', 'tools/doc-refs/doc-refs.ts', 'tools/doc-refs/doc-refs.spec.ts']);
const EXT = /\.(ts|tsx|js|mjs|cjs|md|sh)$/;

/** Ordered: the specific forms first. Each replacement is lower-case, so it never matches again. */
export const RULES = [
  [/\bSTYLE(?:\.md)?\s?§\s?\d+(?:\.\d+)*/g, 'CONTRIBUTING.md "House style"'],
  // headings of the brief that have another name here
  [/\bARCHITECTURE(?:\.md)?\s+"owns \/ calls"/g, 'docs/architecture.md "Seams"'],
  [/\bARCHITECTURE(?:\.md)?\s+"Shape[^"]*"/g, 'docs/architecture.md "Processes"'],
  [/\bSTACK\.md,? end\b/g, 'docs/notes/stack.md "Project MCP servers"'],
  [/\bSTYLE\.md\b/g, 'CONTRIBUTING.md'],
  [/\bBEHAVIOUR(?:\.md)?\b/g, 'docs/behaviour.md'],
  [/\bARCHITECTURE(?:\.md)?\b/g, 'docs/architecture.md'],
  [/\bSTACK\.md\b/g, 'docs/notes/stack.md'],
];

export function rewrite(text) {
  let out = text;
  for (const [re, to] of RULES) out = out.replace(re, to);
  // "docs/behaviour.md" written where a path already led there (docs/docs/…, notes/docs/…)
  return out.replace(/\b(?:docs\/)+(docs\/(?:behaviour|architecture)\.md)/g, '$1');
}

function files() {
  const out = [];
  const walk = (rel) => {
    const abs = path.join(ROOT, rel);
    if (!fs.existsSync(abs)) return;
    if (fs.statSync(abs).isFile()) {
      if (EXT.test(rel) && !SKIP_FILES.has(rel)) out.push(rel);
      return;
    }
    for (const e of fs.readdirSync(abs)) if (!SKIP_DIRS.has(e)) walk(path.posix.join(rel, e));
  };
  TOPS.forEach(walk);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const changed = [];
  for (const rel of files()) {
    const abs = path.join(ROOT, rel);
    const before = fs.readFileSync(abs, 'utf8');
    const after = rewrite(before);
    if (after === before) continue;
    changed.push(rel);
    if (!check) fs.writeFileSync(abs, after);
  }
  for (const f of changed) console.log(`${check ? 'would rewrite' : 'rewrote'} ${f}`);
  console.log(`${changed.length} file(s) ${check ? 'to rewrite' : 'rewritten'}`);
  if (check && changed.length) process.exit(1);
}
