import fs from 'node:fs';
import path from 'node:path';

export interface RotationLimits {
  /** A file never grows past this unless a single line is larger. */
  maxBytes: number;
  /** Rotated files kept: `.1` (newest) … `.keep` (oldest). */
  keep: number;
}

/** One file of a log and the position of its first byte in the log's whole history. */
export interface LogSegment {
  file: string;
  start: number;
  size: number;
}

/**
 * One log file with size rotation exactly as docs/behaviour.md §7.9: when the next line would
 * pass maxBytes, `.keep` is deleted, each `.i` becomes `.i+1`, and the base becomes
 * `.1`. Sizes are UTF-8 bytes. Lines of one call are written with one write per file
 * they land in. Positions count every byte ever written to the log (`rotated` bytes
 * live in a small sidecar, `.<name>.pos`), so a reader can resume across rotation
 * and restarts. Files 0600, directory 0700. Single writer: logd.
 */
export class RotatingFile {
  readonly base: string;
  private readonly sidecar: string;
  private fd = -1;
  private size = 0;
  private rotated = 0;

  constructor(
    readonly dir: string,
    readonly name: string,
    readonly limits: RotationLimits,
  ) {
    this.base = path.join(dir, `${name}.log`);
    this.sidecar = path.join(dir, `.${name}.log.pos`);
  }

  open(): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(this.dir, 0o700);
    const sidecar = this.readSidecar();
    // the sidecar names the base it was rotating: still here means logd died before the renames
    if (sidecar?.ino !== undefined && inodeOf(this.base) === sidecar.ino) this.finishRotation();
    this.openBase();
    this.rotated = sidecar?.rotated ?? this.rotatedFileSizes();
  }

  /** Appends lines (no newline inside), rotating before any line that would pass the limit. */
  append(lines: readonly string[]): void {
    if (this.fd < 0) this.open();
    let chunk = '';
    let chunkBytes = 0;
    for (const line of lines) {
      const bytes = Buffer.byteLength(line) + 1;
      if (this.size + chunkBytes > 0 && this.size + chunkBytes + bytes > this.limits.maxBytes) {
        this.write(chunk, chunkBytes);
        chunk = '';
        chunkBytes = 0;
        this.rotate();
      }
      chunk += line + '\n';
      chunkBytes += bytes;
    }
    this.write(chunk, chunkBytes);
  }

  /** The position just after the last byte written. */
  end(): number {
    return this.rotated + this.size;
  }

  /** Existing files, oldest first, with their positions. */
  segments(): LogSegment[] {
    const out: LogSegment[] = [{ file: this.base, start: this.rotated, size: this.size }];
    let start = this.rotated;
    for (let i = 1; i <= this.limits.keep; i++) {
      const file = `${this.base}.${i}`;
      const size = sizeOf(file);
      if (size === undefined) break;
      start -= size;
      out.unshift({ file, start, size });
    }
    return out;
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }

  private write(chunk: string, bytes: number): void {
    if (bytes === 0) return;
    fs.writeSync(this.fd, chunk);
    this.size += bytes;
  }

  private rotate(): void {
    this.close();
    // the sidecar first: a crash between here and the renames only skips positions, never repeats them
    this.rotated += this.size;
    this.writeSidecar(inodeOf(this.base));
    this.finishRotation();
    this.openBase();
  }

  /**
   * The renames of a rotation, from wherever a crash left them: they run from the oldest
   * file down, so the first missing `.i` is where they stopped (or `.keep`, not yet
   * deleted, when none is missing).
   */
  private finishRotation(): void {
    const { keep } = this.limits;
    let gap = 1;
    while (gap <= keep && fs.existsSync(`${this.base}.${gap}`)) gap++;
    if (gap > keep) {
      removeIfPresent(`${this.base}.${keep}`);
      gap = keep;
    }
    for (let i = gap - 1; i >= 1; i--) fs.renameSync(`${this.base}.${i}`, `${this.base}.${i + 1}`);
    renameIfPresent(this.base, `${this.base}.1`);
  }

  private openBase(): void {
    this.fd = fs.openSync(this.base, 'a', 0o600);
    fs.fchmodSync(this.fd, 0o600);
    this.size = fs.fstatSync(this.fd).size;
  }

  /** `<rotated bytes> [<inode of the base being rotated>]`. */
  private readSidecar(): { rotated: number; ino?: number } | undefined {
    try {
      const [n, ino] = fs.readFileSync(this.sidecar, 'utf8').trim().split(' ').map(Number);
      if (!Number.isSafeInteger(n) || n < 0) return undefined;
      return { rotated: n, ino: Number.isSafeInteger(ino) ? ino : undefined };
    } catch {
      return undefined; // first start: no sidecar yet
    }
  }

  private writeSidecar(ino: number | undefined): void {
    const tmp = `${this.sidecar}.tmp`;
    fs.writeFileSync(tmp, `${this.rotated}${ino === undefined ? '' : ` ${ino}`}\n`, { mode: 0o600 });
    fs.renameSync(tmp, this.sidecar);
  }

  /** Without a sidecar, what the rotated files hold is the best guess of the bytes before the base. */
  private rotatedFileSizes(): number {
    let total = 0;
    for (let i = 1; i <= this.limits.keep; i++) total += sizeOf(`${this.base}.${i}`) ?? 0;
    return total;
  }
}

function inodeOf(file: string): number | undefined {
  try {
    return fs.statSync(file).ino;
  } catch {
    return undefined; // absent
  }
}

function sizeOf(file: string): number | undefined {
  try {
    return fs.statSync(file).size;
  } catch {
    return undefined; // absent: rotation has not reached this index yet
  }
}

function removeIfPresent(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function renameIfPresent(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
