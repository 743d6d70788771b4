import fs from 'node:fs';
import type { IapeerPaths } from '@iapeer/core';
import { createTmuxDriver, type TmuxDriver } from '@iapeer/tmux';

/**
 * "Is this identity's session up?" — the one question `list` and `remove` ask. Answered
 * by the same libs/tmux driver the supervisor and router use, so the three agree: a
 * session whose agent exited (a dead pane kept by remain-on-exit) is NOT live. A bare
 * `tmux has-session` said it was (the crash-loop e2e test caught `list` showing ● for it).
 * No supervisor round trip: `list` works with only the registry up.
 */
export interface Liveness {
  isLive(identity: string): Promise<boolean>;
}

// control: false — a one-shot CLI asks once per peer: a persistent control client
// would cost a spawn as well and then outlive the question
export function tmuxLiveness(paths: IapeerPaths, env: NodeJS.ProcessEnv, driver: Pick<TmuxDriver, 'isAlive'> = createTmuxDriver({ sockDir: paths.sockDir, baseEnv: env, control: false })): Liveness {
  return {
    async isLive(identity) {
      // no server was ever started (or it was cleaned up): no tmux exec needed
      if (!fs.existsSync(paths.tmuxSocket(identity))) return false;
      return driver.isAlive(identity);
    },
  };
}
