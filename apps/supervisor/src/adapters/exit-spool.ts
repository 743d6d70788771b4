import fs from 'node:fs';
import path from 'node:path';
import type { ExitRecord, ExitSpool } from '../core/exits';

const SUFFIX = '.exits';
const DRAINING = '.exits.draining';

/**
 * The exit spool on disk: `<paneLogDir>/<identity>.exits`, appended by the pane-died hook
 * (one JSON line per death). A take renames it to `.exits.draining` first (the hook's next
 * death starts a new file, never lost between read and unlink), reads it, then unlinks it;
 * a `.draining` left by a crash mid-take is read by the next take. A line that is not a
 * record (a torn write) is skipped.
 */
export function createExitSpool(paneLogDir: string): ExitSpool {
  const idOf = (name: string) => (name.endsWith(DRAINING) ? name.slice(0, -DRAINING.length) : name.endsWith(SUFFIX) ? name.slice(0, -SUFFIX.length) : null);
  const list = (): string[] => {
    try {
      return [...new Set(fs.readdirSync(paneLogDir).map(idOf).filter((id): id is string => id !== null))].sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  };
  const takeOne = (identity: string): ExitRecord[] => {
    const spool = path.join(paneLogDir, identity + SUFFIX);
    const draining = path.join(paneLogDir, identity + DRAINING);
    let text = '';
    try {
      text = fs.readFileSync(draining, 'utf8'); // a crash's leftover comes first
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    try {
      fs.renameSync(spool, draining);
      text += (text && !text.endsWith('\n') ? '\n' : '') + fs.readFileSync(draining, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    fs.rmSync(draining, { force: true });
    return text.split('\n').flatMap((line) => parse(line, identity));
  };
  const spooled = (identity: string) => fs.existsSync(path.join(paneLogDir, identity + SUFFIX)) || fs.existsSync(path.join(paneLogDir, identity + DRAINING));
  return {
    take: (identity) => (identity === undefined ? list() : [identity]).flatMap(takeOne),
    async awaitRecord(identity, ms) {
      const end = Date.now() + ms;
      while (!spooled(identity) && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    },
  };
}

function parse(line: string, identity: string): ExitRecord[] {
  if (!line.trim()) return [];
  try {
    const r = JSON.parse(line) as Partial<ExitRecord>;
    const int = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : null);
    return [{ at: typeof r.at === 'string' ? r.at : new Date().toISOString(), identity: typeof r.identity === 'string' && r.identity ? r.identity : identity, status: int(r.status), signal: int(r.signal), tail: typeof r.tail === 'string' ? r.tail : '', ...(typeof r.tail_error === 'string' ? { tail_error: r.tail_error } : {}) }];
  } catch {
    return [];
  }
}
