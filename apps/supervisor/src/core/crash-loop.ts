/** The crash-loop guard (§7.4 step 7.4): too many deaths in the window leave the peer asleep. */
export interface CrashLoopConfig {
  crashLoopMax: number;
  crashLoopWindowSecs: number;
}

export type CrashLoopVerdict = { tripped: false; deathsInWindow: number } | { tripped: true; deathsInWindow: number; reason: string };

export function windowStartMs(nowMs: number, cfg: CrashLoopConfig): number {
  return nowMs - cfg.crashLoopWindowSecs * 1000;
}

export function countDeathsInWindow(deaths: readonly number[], nowMs: number, cfg: CrashLoopConfig): number {
  const since = windowStartMs(nowMs, cfg);
  return deaths.filter((t) => t >= since && t <= nowMs).length;
}

export function checkCrashLoop(deaths: readonly number[], nowMs: number, cfg: CrashLoopConfig): CrashLoopVerdict {
  const n = countDeathsInWindow(deaths, nowMs, cfg);
  if (n < cfg.crashLoopMax) return { tripped: false, deathsInWindow: n };
  return { tripped: true, deathsInWindow: n, reason: `crash-loop guard: ${n} deaths in ${cfg.crashLoopWindowSecs}s, leaving asleep` };
}
