import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { Env } from '@iapeer/core';
import type { HostFacts } from '../core/ports';

function tryExec(cmd: string, args: string[]): string | null {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null; // the tool is missing on this host: the caller falls back to Node's answer
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The front-matter facts (§5.4): sw_vers on macOS (os.release() elsewhere), hostname -s, $USER, local date. */
export function readHostFacts(env: Env, now: Date): HostFacts {
  const platform = process.platform;
  return {
    platform,
    osVersion: (platform === 'darwin' ? tryExec('sw_vers', ['-productVersion']) : null) ?? os.release(),
    user: env.USER || tryExec('id', ['-un']) || os.userInfo().username,
    hostname: tryExec('hostname', ['-s']) ?? os.hostname().split('.')[0],
    today: `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`,
  };
}
