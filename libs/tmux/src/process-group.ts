/**
 * Ending what runs in a pane: its process group (tmux setsid()s the pane's program, so it
 * leads its own group). The driver's `kill` uses `end` before the server goes and
 * `waitGone` after.
 */
import fs from 'node:fs';
import { pidAlive } from './control-connection';

export type SignalFn = (pid: number, sig: NodeJS.Signals | 0) => void;

export interface ProcessGroupOptions {
  /** Signals a process or, with a negative pid, a group. Seam for unit tests. @default process.kill */
  signal?: SignalFn;
  /** How long the leader gets to exit on SIGTERM before the group gets SIGKILL. @default 400 */
  graceMs?: number;
}

export interface PaneGroup {
  /** SIGTERM the group, a grace for the leader, SIGKILL the group. */
  end(pid: number): Promise<void>;
  /** Resolves once no member of the group runs any more (a zombie is gone), or after 3 s. */
  waitGone(pid: number): Promise<void>;
  /** True while some member of the group still runs (a zombie does not count). */
  running(pid: number): boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createPaneGroup(opts: ProcessGroupOptions = {}): PaneGroup {
  const signal: SignalFn = opts.signal ?? ((pid, sig) => void process.kill(pid, sig));
  const graceMs = opts.graceMs ?? 400;
  const exists = (pid: number): boolean => {
    try {
      signal(pid, 0);
      return true;
    } catch {
      return false; // ESRCH (EPERM cannot happen: we started it)
    }
  };
  // With the signal seam there is no real process to read: the seam's answer is the truth.
  const seam = opts.signal !== undefined;
  const leaderAlive = seam ? (pid: number) => exists(-pid) : pidAlive;
  const running = (pid: number): boolean => {
    if (!exists(-pid)) return false; // no member at all, zombies included
    return seam || process.platform !== 'linux' ? true : groupHasRunningMember(pid);
  };

  /**
   * Closing the pty only sends SIGHUP, and the real Claude Code 2.1.197 survives it: every
   * idle reap left a running claude reparented to init (found by the e2e lifecycle test
   * against the real CLI). So the group gets SIGTERM; the leader gets a short grace to exit
   * on it (claude keeps running through SIGTERM for seconds), then the group gets SIGKILL
   * whatever the leader did. This runs BEFORE the server is killed, while the pid is
   * still the pane's: it was read from a running pane just before, so it cannot be a
   * recycled one.
   */
  async function end(pid: number): Promise<void> {
    if (!exists(-pid)) return;
    try {
      signal(-pid, 'SIGTERM');
    } catch {
      return; // exited between the check and the signal
    }
    const graceEnd = Date.now() + graceMs;
    while (Date.now() < graceEnd && leaderAlive(pid)) await sleep(10);
    try {
      signal(-pid, 'SIGKILL');
    } catch {
      return; // the whole group exited: nothing left to kill
    }
    // No wait for tmux to reap the leader: tmux 3.3a can miss that SIGCHLD (its utempter
    // helper runs with SIGCHLD at SIG_DFL, docs/notes/tmux-control.md), and the leader
    // then stays a zombie until the server exits and init collects it. waitGone() is the
    // check: a zombie runs nothing.
  }

  /**
   * "Killed" means no member runs any more. The members' zombies are not waited for: the
   * leader's exited children (Claude Code leaves its helpers unreaped) are re-parented to
   * init when the leader dies, and this container's init reaps orphans only every ~1.5 s
   * (docs/notes/tmux-control.md). A zombie runs no code and holds no resource but its pid.
   */
  async function waitGone(pid: number): Promise<void> {
    const end = Date.now() + 3000;
    while (Date.now() < end && running(pid)) await sleep(10);
  }

  return { end, waitGone, running };
}

/**
 * Scans /proc for a member of process group `pgid` that is not a zombie. Only called while
 * `kill(-pgid, 0)` still finds the group, i.e. for the moments its zombies linger.
 */
function groupHasRunningMember(pgid: number): boolean {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return true; // cannot tell: the group exists, so say it runs
  }
  for (const name of entries) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'latin1');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) S ppid pgrp …": comm may hold spaces and parentheses, so split after the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}
