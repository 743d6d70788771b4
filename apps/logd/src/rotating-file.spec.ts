import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readFrom } from './read-range';
import { RotatingFile } from './rotating-file';

const line = (i: number) => `ts=2026-01-01T00:00:00.000Z ev=test n=${String(i).padStart(4, '0')}`; // 42 chars + newline = 43 bytes
const contents = (f: string) => fs.readFileSync(f, 'utf8').split('\n').filter(Boolean);

describe('RotatingFile (docs/behaviour.md §7.9 rotation)', () => {
  let dir: string;
  beforeEach(() => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'iap-rot-')), 'logs');
  });
  afterEach(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('rotates before the line that would pass 120 bytes, keeps 2, newest in the base, order across files', () => {
    const f = new RotatingFile(dir, 'lifecycle', { maxBytes: 120, keep: 2 });
    f.open();
    const base = path.join(dir, 'lifecycle.log');
    f.append([line(1), line(2)]); // 86 bytes
    expect(fs.existsSync(`${base}.1`)).toBe(false);
    f.append([line(3)]); // would be 129 > 120: rotate first
    expect(contents(`${base}.1`)).toEqual([line(1), line(2)]);
    expect(contents(base)).toEqual([line(3)]);
    expect(fs.existsSync(`${base}.2`)).toBe(false);
    f.append([line(4), line(5), line(6), line(7), line(8)]);
    // base = 7,8; .1 = 5,6; .2 = 3,4; 1,2 dropped (keep 2)
    expect(contents(base)).toEqual([line(7), line(8)]);
    expect(contents(`${base}.1`)).toEqual([line(5), line(6)]);
    expect(contents(`${base}.2`)).toEqual([line(3), line(4)]);
    expect(fs.existsSync(`${base}.3`)).toBe(false);
    for (const file of [base, `${base}.1`, `${base}.2`]) {
      expect(fs.statSync(file).size).toBeLessThanOrEqual(120);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    }
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('counts UTF-8 bytes, not UTF-16 units', () => {
    const f = new RotatingFile(dir, 'delivery', { maxBytes: 20, keep: 1 });
    f.open();
    f.append(['ééééé', 'ééééé']); // 11 bytes each with the newline (5 UTF-16 units + 1): 22 > 20
    expect(fs.readFileSync(path.join(dir, 'delivery.log.1'), 'utf8')).toBe('ééééé\n');
    expect(fs.statSync(path.join(dir, 'delivery.log')).size).toBe(11);
  });

  it('keeps a line longer than the limit whole, alone in its file', () => {
    const f = new RotatingFile(dir, 'lifecycle', { maxBytes: 10, keep: 3 });
    f.open();
    f.append(['short', 'x'.repeat(50), 'tail']);
    const base = path.join(dir, 'lifecycle.log');
    expect(contents(`${base}.2`)).toEqual(['short']);
    expect(contents(`${base}.1`)).toEqual(['x'.repeat(50)]);
    expect(contents(base)).toEqual(['tail']);
  });

  it('gives positions that survive rotation and a restart of the writer', () => {
    const f = new RotatingFile(dir, 'lifecycle', { maxBytes: 120, keep: 2 });
    f.open();
    f.append([line(1), line(2), line(3)]);
    const mark = f.end();
    expect(mark).toBe(3 * 43);
    f.append([line(4), line(5)]); // rotates
    f.close();
    const again = new RotatingFile(dir, 'lifecycle', { maxBytes: 120, keep: 2 });
    again.open();
    expect(again.end()).toBe(5 * 43);
    expect(readFrom(again.segments(), mark, 1 << 20)).toEqual({ lines: [line(4), line(5)], pos: 5 * 43, skipped: 0 });
    again.append([line(6), line(7), line(8), line(9), line(10), line(11)]);
    // positions before the oldest kept file are reported as skipped
    const r = readFrom(again.segments(), 0, 1 << 20);
    expect(r.skipped).toBeGreaterThan(0);
    expect(r.lines[r.lines.length - 1]).toBe(line(11));
    expect(r.pos).toBe(again.end());
  });

  it('finishes a rotation a crash cut between the sidecar and the renames: no line twice, positions exact', () => {
    const f = new RotatingFile(dir, 'lifecycle', { maxBytes: 120, keep: 3 });
    f.open();
    const base = path.join(dir, 'lifecycle.log');
    f.append([line(1), line(2), line(3), line(4), line(5), line(6)]); // .2 = 1,2; .1 = 3,4; base = 5,6
    const end = f.end();
    f.close();
    // what a SIGKILL right after the sidecar of the next rotation leaves: sidecar counts the base, no rename yet,
    // and the chain half done (.2 already moved to .3)
    const ino = fs.statSync(base).ino;
    fs.writeFileSync(path.join(dir, '.lifecycle.log.pos'), `${end} ${ino}\n`);
    fs.renameSync(`${base}.2`, `${base}.3`);
    const again = new RotatingFile(dir, 'lifecycle', { maxBytes: 120, keep: 3 });
    again.open();
    expect(again.end()).toBe(end);
    expect(contents(`${base}.3`)).toEqual([line(1), line(2)]);
    expect(contents(`${base}.2`)).toEqual([line(3), line(4)]);
    expect(contents(`${base}.1`)).toEqual([line(5), line(6)]);
    expect(fs.readFileSync(base, 'utf8')).toBe('');
    again.append([line(7)]);
    expect(readFrom(again.segments(), 0, 1_000_000).lines).toEqual([1, 2, 3, 4, 5, 6, 7].map(line));
    again.close();
  });
});
