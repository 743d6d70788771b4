/**
 * The composer queue's files on disk: whole-file writes (temp + fsync + rename, 0600, in
 * 0700 directories) and the directory fsynced after, so an accepted message is on disk
 * before the sender hears `queued`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ensureDir, fsyncDir, writeFileAtomic } from '@iapeer/storage';
import type { QueueFs } from './composer-queue';

export const COMPOSER_QUEUE_DIR = 'composer-queue';

export const nodeQueueFs: QueueFs = {
  list(dir) {
    try {
      return fs.readdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  },
  read(file) {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  },
  write(file, text) {
    ensureDir(path.dirname(file));
    writeFileAtomic(file, text);
    fsyncDir(path.dirname(file));
  },
  remove(file) {
    fs.rmSync(file, { force: true });
  },
};
