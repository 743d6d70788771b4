import fs from 'node:fs';
import path from 'node:path';
import type { IapeerPaths } from '@iapeer/core';
import { readJsonFile, writeJsonFile } from '@iapeer/storage';

/** What a running keeper records so `down` can find it and its children. */
export interface KeeperRecord {
  pid: number;
  startedAt: string;
  root: string;
  children: Record<string, number | undefined>;
}

export const keeperDir = (paths: IapeerPaths) => path.join(paths.serviceStateDir, 'up');
export const keeperFile = (paths: IapeerPaths) => path.join(paths.serviceStateDir, 'up.json');

export function readKeeper(paths: IapeerPaths): KeeperRecord | null {
  try {
    return readJsonFile<KeeperRecord>(keeperFile(paths));
  } catch {
    return null; // a torn or foreign file is treated as no keeper; `up` rewrites it
  }
}

export function writeKeeper(paths: IapeerPaths, rec: KeeperRecord): void {
  writeJsonFile(keeperFile(paths), rec);
}

export function removeKeeper(paths: IapeerPaths): void {
  fs.rmSync(keeperFile(paths), { force: true });
}

export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when pid is (still) the process we think: guards against pid reuse. */
export function isOurProcess(pid: number, marker: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return isAlive(pid); // no /proc (macOS): trust liveness
  }
}
