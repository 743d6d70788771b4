import fs from 'node:fs';
import { writeFileAtomic } from './atomic-write';

/** Marker files hold one ISO timestamp line (docs/behaviour.md §3.4). */
export function writeMarker(file: string, at: Date): void {
  writeFileAtomic(file, `${at.toISOString()}\n`);
}

export function readMarker(file: string): Date | null {
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    const d = new Date(text);
    return Number.isNaN(d.getTime()) ? new Date(fs.statSync(file).mtimeMs) : d;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export function hasMarker(file: string): boolean {
  return fs.existsSync(file);
}

/** Removes a marker; true when it existed. */
export function clearMarker(file: string): boolean {
  try {
    fs.unlinkSync(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** A file's text, or null when it does not exist (any other error is thrown). */
export function readTextIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export function readJsonFile<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export function writeJsonFile(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}
