import fs from 'node:fs';
import type { LogSegment } from './rotating-file';

export interface ReadResult {
  lines: string[];
  /** Position just after the last returned line. */
  pos: number;
  /** Bytes between the asked position and the oldest kept file (rotated away). */
  skipped: number;
}

/**
 * Whole lines from `pos` on, across the files of a log (oldest first), at most about
 * `maxBytes`. Positions are always line starts, since logd writes whole lines.
 */
export function readFrom(segments: readonly LogSegment[], pos: number, maxBytes: number): ReadResult {
  const oldest = segments[0]?.start ?? 0;
  const last = segments[segments.length - 1];
  const end = last ? last.start + last.size : 0;
  let skipped = 0;
  if (pos < oldest) {
    skipped = oldest - pos;
    pos = oldest;
  }
  if (pos >= end) return { lines: [], pos: Math.min(pos, end), skipped }; // past the end (a lost sidecar): resume from the real end
  const lines: string[] = [];
  let budget = maxBytes;
  for (const seg of segments) {
    const segEnd = seg.start + seg.size;
    if (segEnd <= pos || budget <= 0) continue;
    const from = pos - seg.start;
    const length = Math.min(seg.size - from, budget);
    const text = readBytes(seg.file, from, length);
    const cut = text.lastIndexOf('\n');
    if (cut < 0) break; // a line longer than the budget: the next call gets it
    const whole = text.subarray(0, cut + 1);
    for (const line of whole.toString('utf8').split('\n')) if (line.length > 0) lines.push(line);
    pos += whole.length;
    budget -= whole.length;
    if (cut + 1 < text.length) break; // budget ran out inside this file
  }
  return { lines, pos, skipped };
}

function readBytes(file: string, from: number, length: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(length);
    const n = fs.readSync(fd, buf, 0, length, from);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** Every line of a file (a rotated file is at most maxBytes, so whole reads are fine). */
export function readLines(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return []; // rotated away between listing and reading
  }
  const lines = text.split('\n');
  lines.pop();
  return lines;
}
