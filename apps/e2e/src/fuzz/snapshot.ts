import fs from 'node:fs';
import path from 'node:path';

/**
 * path → "size mtime" of every file under root, except the dirs given (logs grow on their
 * own) and files named in `excludeNames` (written by agent processes on their own time).
 */
export function snapshotFiles(root: string, exclude: string[], excludeNames: (string | RegExp)[] = []): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // vanished while walking: nothing to compare there
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (exclude.some((x) => p === x || p.startsWith(x + '/')) || excludeNames.some((n) => (typeof n === 'string' ? n === e.name : n.test(e.name)))) continue;
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        try {
          const st = fs.statSync(p);
          out.set(p, `${st.size} ${st.mtimeMs}`);
        } catch {
          // removed between readdir and stat: shows up as a difference on the next snapshot
        }
      }
    }
  };
  walk(root);
  return out;
}

/** What changed between two snapshots, as readable lines (empty: nothing). */
export function diffSnapshots(before: Map<string, string>, after: Map<string, string>): string[] {
  const changes: string[] = [];
  for (const [p, v] of after) if (before.get(p) !== v) changes.push(`${before.has(p) ? 'changed' : 'added'} ${p}`);
  for (const p of before.keys()) if (!after.has(p)) changes.push(`removed ${p}`);
  return changes;
}
