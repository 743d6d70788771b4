import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { IapeerPaths } from '@iapeer/core';

/**
 * "Is this identity's session up?" — the one question `list` and `remove` ask. Until the
 * supervisor answers it, tmux `has-session` on the identity's own socket does; swap the
 * implementation here without touching the commands.
 */
export interface Liveness {
  isLive(identity: string): Promise<boolean>;
}

export type ExecFileFn = (file: string, args: string[]) => Promise<{ code: number }>;

const execFileCode: ExecFileFn = (file, args) =>
  new Promise((resolve) => {
    execFile(file, args, { timeout: 5000 }, (err) => {
      if (!err) return resolve({ code: 0 });
      // a missing tmux binary (ENOENT) means no session can be live
      resolve({ code: typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : 1 });
    });
  });

/** `tmux -S <sockDir>/tmux-iap-<identity>.sock has-session -t =<identity>` (exact name). */
export function tmuxLiveness(paths: IapeerPaths, run: ExecFileFn = execFileCode): Liveness {
  return {
    async isLive(identity) {
      const sock = paths.tmuxSocket(identity);
      if (!fs.existsSync(sock)) return false; // no server was ever started (or it was cleaned up)
      const { code } = await run('tmux', ['-S', sock, 'has-session', '-t', `=${identity}`]);
      return code === 0;
    },
  };
}
