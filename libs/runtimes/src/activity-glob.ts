import fs from 'node:fs';
import path from 'node:path';

/** Directories never worth walking for an activity file. */
const SKIP_DIRS = new Set(['node_modules', '.git']);
const MAX_ENTRIES = 20_000;

/**
 * The newest mtime (ms) among files under `cwd` that match `glob` (`*`, `?`, `**`),
 * or null when none does.
 */
export function newestMatchMtime(cwd: string, glob: string): number | null {
  let newest: number | null = null;
  for (const f of matchingFiles(cwd, glob)) if (newest === null || f.mtimeMs > newest) newest = f.mtimeMs;
  return newest;
}

/**
 * The files under `cwd` that match `glob`, with their mtimes. Node 20 has no fs.glob;
 * this walks only from the glob's static prefix, and only as deep as the pattern can reach.
 */
export function matchingFiles(cwd: string, glob: string): Array<{ path: string; mtimeMs: number }> {
  const segments = glob.split('/').filter((s) => s.length > 0 && s !== '.');
  const firstWild = segments.findIndex((s) => /[*?]/.test(s));
  const staticPart = firstWild < 0 ? segments : segments.slice(0, firstWild);
  const base = path.join(cwd, ...staticPart);
  if (firstWild < 0) {
    const m = mtimeOf(base);
    return m === null ? [] : [{ path: base, mtimeMs: m }];
  }
  const rest = segments.slice(firstWild);
  const re = globToRegExp(rest.join('/'));
  const maxDepth = rest.includes('**') ? 12 : rest.length;
  const found: Array<{ path: string; mtimeMs: number }> = [];
  let seen = 0;
  const walk = (dir: string, rel: string, depth: number) => {
    if (depth > maxDepth || seen > MAX_ENTRIES) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // unreadable or vanished directory: nothing to count there
    }
    for (const e of entries) {
      seen++;
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(full, relPath, depth + 1);
      } else if (re.test(relPath)) {
        const m = mtimeOf(full);
        if (m !== null) found.push({ path: full, mtimeMs: m });
      }
    }
  };
  walk(base, '', 1);
  return found;
}

/** True when any of the files contains `needle` (a missing file contains nothing). */
export function filesContain(files: string[], needle: string): boolean {
  for (const file of files) {
    try {
      if (fs.readFileSync(file).includes(needle)) return true;
    } catch {
      // vanished or unreadable between listing and reading: it holds nothing we can see
    }
  }
  return false;
}

/**
 * Lines of the files that match `re`, summed (a missing file has none). A compaction is
 * seen as this count growing past its value before `/compact` was typed (§6.5).
 */
export function countMatchingLines(files: string[], re: RegExp): number {
  let n = 0;
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue; // vanished or unreadable: nothing to count
    }
    for (const line of text.split('\n')) if (re.test(line)) n++;
  }
  return n;
}

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** mtime in ms, or null when the file does not exist. */
export function mtimeOf(file: string): number | null {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return null; // missing file: no activity yet
  }
}
