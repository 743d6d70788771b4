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
    this.openBase();
    this.rotated = this.readSidecar() ?? this.rotatedFileSizes();
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
    this.writeSidecar();
    const { keep } = this.limits;
    removeIfPresent(`${this.base}.${keep}`);
    for (let i = keep - 1; i >= 1; i--) renameIfPresent(`${this.base}.${i}`, `${this.base}.${i + 1}`);
    fs.renameSync(this.base, `${this.base}.1`);
    this.openBase();
  }

  private openBase(): void {
    this.fd = fs.openSync(this.base, 'a', 0o600);
    fs.fchmodSync(this.fd, 0o600);
    this.size = fs.fstatSync(this.fd).size;
  }

  private readSidecar(): number | undefined {
    try {
      const n = Number(fs.readFileSync(this.sidecar, 'utf8').trim());
      return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
    } catch {
      return undefined; // first start: no sidecar yet
    }
  }

  private writeSidecar(): void {
    const tmp = `${this.sidecar}.tmp`;
    fs.writeFileSync(tmp, `${this.rotated}\n`, { mode: 0o600 });
    fs.renameSync(tmp, this.sidecar);
  }

  /** Without a sidecar, what the rotated files hold is the best guess of the bytes before the base. */
  private rotatedFileSizes(): number {
    let total = 0;
    for (let i = 1; i <= this.limits.keep; i++) total += sizeOf(`${this.base}.${i}`) ?? 0;
    return total;
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
