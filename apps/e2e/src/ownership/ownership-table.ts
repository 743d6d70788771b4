import fs from 'node:fs';
import path from 'node:path';

/** A row of the `## File ownership` table in docs/architecture.md. */
export interface OwnershipRow {
  pattern: string;
  writers: string[];
}

/** One write a traced process made (apps/e2e/src/ownership/fs-tracer.cjs). */
export interface TracedWrite {
  proc: string;
  pid: number;
  op: string;
  path: string;
}

/** The services and the CLI: the processes `scaffold` stands for (mkdir/chmod only). */
const SCAFFOLDERS = ['cli', 'logd', 'registry', 'supervisor', 'router', 'console', 'bridge'];
const SCAFFOLD_OPS = new Set(['mkdir', 'chmod']);

/** Parses the table of `## File ownership` (up to the next heading). */
export function parseOwnershipTable(markdown: string): OwnershipRow[] {
  const start = markdown.indexOf('\n## File ownership\n');
  if (start < 0) throw new Error('docs/architecture.md has no "## File ownership" section');
  const rest = markdown.slice(start + 1);
  const end = rest.indexOf('\n## ', 1);
  const section = end < 0 ? rest : rest.slice(0, end);
  const rows: OwnershipRow[] = [];
  for (const line of section.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const cells = line.split(' | ');
    const pattern = /^\| `([^`]+)`$/.exec(cells[0])?.[1];
    const writers = [...(cells[1] ?? '').matchAll(/`([a-z-]+)`/g)].map((m) => m[1]);
    if (!pattern || writers.length === 0) throw new Error(`unreadable ownership row: ${line}`);
    rows.push({ pattern, writers });
  }
  return rows;
}

/** `<root>`/`<cwd>` bound to real paths; `<x>` and `*` one segment (or part), `**` any depth (`dir/**` includes `dir`), a trailing `/` the directory itself. */
export function patternRegex(pattern: string, bind: { root: string; cwd?: string }): RegExp | null {
  let p = pattern;
  if (p.startsWith('<root>/')) p = bind.root + p.slice('<root>'.length);
  else if (p.startsWith('<cwd>/')) {
    if (!bind.cwd) return null;
    p = bind.cwd + p.slice('<cwd>'.length);
  } else throw new Error(`ownership pattern ${pattern} starts with neither <root>/ nor <cwd>/`);
  if (p.endsWith('/')) p = p.slice(0, -1);
  // `dir/**` is the directory and everything below it
  const tree = p.endsWith('/**');
  if (tree) p = p.slice(0, -3);
  const re = p
    .split(/(\*\*|\*|<[a-z-]+>)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : /^<[a-z-]+>$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${re}${tree ? '(/.*)?' : ''}$`);
}

/** The temp file of an atomic write (`.<name>.<pid>.<uuid>.tmp`, libs/storage) stands for `<name>`. */
export function canonicalPath(p: string): string {
  const m = /^\.(.+)\.\d+\.[0-9a-f-]{36}\.tmp$/.exec(path.basename(p));
  return m ? path.join(path.dirname(p), m[1]) : p;
}

/** The first row matching a path (inside the root or one of the peer folders), or null. */
export function ownerOf(rows: OwnershipRow[], p: string, scope: { root: string; peerFolders: string[] }): OwnershipRow | null {
  const cwd = scope.peerFolders.find((c) => p === c || p.startsWith(c + path.sep));
  for (const row of rows) {
    const re = patternRegex(row.pattern, { root: scope.root, cwd });
    if (re?.test(p)) return row;
  }
  return null;
}

/** True when the row's writers allow this traced write. */
export function allowed(row: OwnershipRow, w: TracedWrite): boolean {
  return row.writers.some((writer) => (writer === 'scaffold' ? SCAFFOLDERS.includes(w.proc) && SCAFFOLD_OPS.has(w.op) : writer === w.proc));
}

export const inScope = (p: string, scope: { root: string; peerFolders: string[] }) =>
  [scope.root, ...scope.peerFolders].some((d) => p === d || p.startsWith(d + path.sep));

/** Every path under `dir` (itself included), directories and files, without following links. */
export function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out = [dir];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

export function readTrace(file: string): TracedWrite[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TracedWrite);
}
