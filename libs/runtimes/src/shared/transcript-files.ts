import fs from 'node:fs';
import path from 'node:path';

/** A transcript file and when it last changed. */
export interface TranscriptFile {
  path: string;
  mtimeMs: number;
}

/**
 * The cwd as the agent CLIs record it: they resolve symlinks (macOS `/tmp` is
 * `/private/tmp`), so a peer configured through a symlink still finds its transcripts.
 * A cwd that does not exist (yet) is used as given.
 */
export function canonicalCwd(cwd: string): string {
  try {
    return fs.realpathSync(cwd);
  } catch {
    // Missing or unreadable cwd: comparing the literal path is the best we can do.
    return path.resolve(cwd);
  }
}

/** `*.jsonl` files directly in `dir`, newest first; [] when the dir is absent. */
export function listJsonlNewestFirst(dir: string): TranscriptFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    // No transcript dir means the agent never ran here: not an error.
    return [];
  }
  const files: TranscriptFile[] = [];
  for (const name of names) {
    if (!name.endsWith('.jsonl')) continue;
    const stat = statOrNull(path.join(dir, name));
    if (stat?.isFile()) files.push({ path: path.join(dir, name), mtimeMs: stat.mtimeMs });
  }
  return files.sort((a, b) => b.mtimeMs - a.mtimeMs);
}

/** Every `*.jsonl` under `dir`, at any depth; [] when the dir is absent. */
export function listJsonlRecursive(dir: string): TranscriptFile[] {
  const out: TranscriptFile[] = [];
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      // A dir that vanished mid-walk (rotation, cleanup) just contributes nothing.
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.jsonl')) {
        const stat = statOrNull(p);
        if (stat) out.push({ path: p, mtimeMs: stat.mtimeMs });
      }
    }
  };
  walk(dir);
  return out;
}

/**
 * The first complete line of a file, read in chunks (a codex `session_meta` line
 * carries the whole base prompt, tens of kB). Null when the file is unreadable, has
 * no newline yet (still being written), or the line is longer than `maxBytes`.
 */
export function readFirstLine(file: string, maxBytes = 4 * 1024 * 1024): string | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    // Unreadable or deleted between listing and reading: treat as no match.
    return null;
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.alloc(64 * 1024);
    while (total < maxBytes) {
      const n = fs.readSync(fd, buf, 0, buf.length, total);
      if (n === 0) break;
      const chunk = buf.subarray(0, n);
      const nl = chunk.indexOf(0x0a);
      if (nl >= 0) {
        chunks.push(Buffer.from(chunk.subarray(0, nl)));
        return Buffer.concat(chunks).toString('utf8');
      }
      chunks.push(Buffer.from(chunk));
      total += n;
    }
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    // Raced with a delete: the file is simply not there any more.
    return null;
  }
}
