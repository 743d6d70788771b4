// Rotation libraries measured inside the logd use case (issue 5, docs/notes/stack.md
// "Log rotation libraries"): the same pino-style JSON lines (some with multi-byte characters) through
// logrotate-stream, rotating-file-stream and logd's own RotatingFile. Figures: lines/s,
// lines lost/split/duplicated (KEEP large enough to hold every line), largest file vs
// the limit in bytes. The two npm packages are not dependencies of iapeer: the bench
// loads them from IAPEER_BENCH_ROTATORS_DIR (an `npm install --prefix <dir>` of the exact
// versions) and records "not measured" without it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RotatingFile } from '../../apps/logd/src/rotating-file';

export interface RotatorFigures {
  linesPerSec: number;
  lost: number;
  split: number;
  duplicated: number;
  largestFileBytes: number;
  limitBytes: number;
  files: number;
  note?: string;
}

const makeLine = (i: number) => JSON.stringify({ level: 30, time: 1_700_000_000_000 + i, pid: 4242, svc: 'router', seq: i, msg: i % 7 === 0 ? 'délivré à boris — ok' : 'delivered', ms: i % 97 });

function verify(dir: string, base: string, total: number, limit: number): Omit<RotatorFigures, 'linesPerSec'> {
  const files = fs.readdirSync(dir).filter((f) => f.startsWith(base));
  const seen = new Map<number, number>();
  let split = 0;
  let largest = 0;
  for (const f of files) {
    const full = path.join(dir, f);
    largest = Math.max(largest, fs.statSync(full).size);
    for (const l of fs.readFileSync(full, 'utf8').split('\n')) {
      if (!l) continue;
      try {
        const seq = (JSON.parse(l) as { seq: number }).seq;
        seen.set(seq, (seen.get(seq) ?? 0) + 1);
      } catch {
        split++;
      }
    }
  }
  let lost = 0;
  let duplicated = 0;
  for (let i = 0; i < total; i++) {
    const n = seen.get(i) ?? 0;
    if (n === 0) lost++;
    if (n > 1) duplicated += n - 1;
  }
  return { lost, split, duplicated, largestFileBytes: largest, limitBytes: limit, files: files.length };
}

async function timeStream(write: (line: string) => boolean, end: () => Promise<void>, once: (cb: () => void) => void, total: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    if (!write(makeLine(i) + '\n')) await new Promise<void>((r) => once(r));
  }
  await end();
  return performance.now() - t0;
}

export async function measureRotators(total: number, limit: number): Promise<Record<string, RotatorFigures>> {
  const keep = Math.ceil((total * 110) / limit) + 5; // enough files to keep every line: integrity is countable
  const out: Record<string, RotatorFigures> = {};
  const fresh = () => fs.mkdtempSync(path.join(os.tmpdir(), 'iap-rot-bench-'));

  // logd's own rotator, the way logd uses it (one append per received batch of 1000) and line by line
  for (const [label, batch] of [['own-rotator (batches of 1000)', 1000], ['own-rotator (line by line)', 1]] as const) {
    const dir = fresh();
    const f = new RotatingFile(dir, 'router', { maxBytes: limit, keep });
    f.open();
    const t0 = performance.now();
    for (let i = 0; i < total; i += batch) {
      const lines: string[] = [];
      for (let j = i; j < Math.min(total, i + batch); j++) lines.push(makeLine(j));
      f.append(lines);
    }
    const ms = performance.now() - t0;
    f.close();
    out[label] = { linesPerSec: Math.round((total / ms) * 1000), ...verify(dir, 'router.log', total, limit) };
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const libs = process.env.IAPEER_BENCH_ROTATORS_DIR;
  const load = (name: string): any => {
    if (!libs) return undefined;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional packages, measured only when installed there
      return require(path.join(libs, 'node_modules', name));
    } catch {
      return undefined; // not installed in that dir: reported as not measured
    }
  };

  const lrs = load('logrotate-stream');
  if (lrs) {
    const dir = fresh();
    const stream = lrs({ file: path.join(dir, 'router.log'), size: String(limit), keep });
    const ms = await timeStream((l) => stream.write(l), () => new Promise<void>((r) => (stream.once('finish', r), stream.end())), (cb) => stream.once('drain', cb), total);
    out['logrotate-stream 0.2.9'] = { linesPerSec: Math.round((total / ms) * 1000), ...verify(dir, 'router.log', total, limit) };
    fs.rmSync(dir, { recursive: true, force: true });
  } else out['logrotate-stream 0.2.9'] = notMeasured(limit);

  const rfs = load('rotating-file-stream');
  if (rfs) {
    const dir = fresh();
    const stream = rfs.createStream('router.log', { path: dir, size: `${Math.round(limit / 1024)}K`, rotate: keep });
    const ms = await timeStream((l) => stream.write(l), () => new Promise<void>((r) => (stream.once('finish', r), stream.end())), (cb) => stream.once('drain', cb), total);
    out['rotating-file-stream 3.2.10'] = { linesPerSec: Math.round((total / ms) * 1000), ...verify(dir, 'router.log', total, Math.round(limit / 1024) * 1024) };
    fs.rmSync(dir, { recursive: true, force: true });
  } else out['rotating-file-stream 3.2.10'] = notMeasured(limit);
  return out;
}

function notMeasured(limit: number): RotatorFigures {
  return { linesPerSec: NaN, lost: NaN, split: NaN, duplicated: NaN, largestFileBytes: NaN, limitBytes: limit, files: 0, note: 'not measured: set IAPEER_BENCH_ROTATORS_DIR to an npm --prefix install of the exact version' };
}
