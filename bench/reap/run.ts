/**
 * `npm run bench -- reap [--quick]`: how long the driver's `kill` of a real Claude Code
 * session takes (offline: dummy key, seeded HOME, no network needed to draw its UI), and
 * when claude itself stopped running, in the same run. Claude ignores SIGTERM for seconds,
 * so the kill is the 400 ms grace + SIGKILL of its group; the figure shows whether `kill`
 * returns as soon as nothing of the group runs (goal: under 1 s).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeSandbox } from '@iapeer/testing';
import { createTmuxDriver, pidAlive } from '@iapeer/tmux';
import { isQuick, repoRoot, summarize, writeResult } from '../lib/result';

const KEY = 'sk-ant-iapeer-bench-dummy-key-000000';
const RUNS = isQuick() ? 2 : 5;
const round = (x: number) => Math.round(x * 10) / 10;

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main(): Promise<void> {
  const claudeBin = path.join(repoRoot(), 'node_modules', '.bin', 'claude');
  const sb = makeSandbox();
  const cwd = path.join(sb.dir, 'peer');
  fs.mkdirSync(cwd, { recursive: true });
  // onboarded, the folder trusted: claude comes up at its prompt, as a woken peer does
  fs.writeFileSync(path.join(sb.home, '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true, customApiKeyResponses: { approved: [KEY.slice(-20)], rejected: [] }, projects: { [cwd]: { hasTrustDialogAccepted: true } } }));
  const tmux = createTmuxDriver({ sockDir: sb.paths.sockDir, baseEnv: sb.env });
  const env = { ...(sb.env as Record<string, string>), ANTHROPIC_API_KEY: KEY, DISABLE_AUTOUPDATER: '1', IS_SANDBOX: '1' };
  const kills: number[] = [];
  const claudeGone: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const identity = `claude-reap${i}`;
      await tmux.spawn({ identity, cwd, argv: [claudeBin], env, paneLog: path.join(sb.dir, `${identity}.log`) });
      // its UI is up (the trust dialog or the prompt) and its helpers have started
      await until(async () => (await tmux.capture(identity)).trim().length > 0, 'claude to draw');
      await new Promise((r) => setTimeout(r, 3000));
      if (i === 0) console.log((await tmux.capture(identity)).split('\n').filter((l) => l.trim()).slice(0, 8).join('\n'));
      // a message submitted, as in a real session (offline: the API call fails, claude stays up)
      await tmux.paste(identity, 'hello');
      await tmux.sendKeys(identity, ['Enter']);
      await new Promise((r) => setTimeout(r, 2000));
      const st = await tmux.inspect(identity);
      if (st.state !== 'running' || !st.pid) throw new Error(`${identity} is not running: ${JSON.stringify(st)}`);
      const pid = st.pid;
      const t0 = performance.now();
      let goneAt = -1;
      const watch = setInterval(() => {
        if (goneAt < 0 && !pidAlive(pid)) goneAt = performance.now() - t0;
      }, 2);
      await tmux.kill(identity);
      const took = performance.now() - t0;
      clearInterval(watch);
      if (goneAt < 0) goneAt = pidAlive(pid) ? NaN : took;
      kills.push(took);
      claudeGone.push(goneAt);
      console.log(`run ${i}: kill returned after ${round(took)} ms, claude gone after ${round(goneAt)} ms`);
    }
    const k = summarize(kills);
    writeResult(
      'reap',
      { metric: 'driver kill of a live real Claude Code session (at its prompt, one message submitted offline), p50; baseline = claude no longer running', unit: 'ms', value: round(k.p50), baseline: round(summarize(claudeGone).p50), ratio: round(k.p50 / summarize(claudeGone).p50), goal: 'kill returns in < 1 s, as soon as no member of the group runs' },
      { runs: RUNS, killMs: kills.map(round), claudeGoneMs: claudeGone.map(round), loadAvg: os.loadavg() },
    );
  } finally {
    for (let i = 0; i < RUNS; i++) await tmux.kill(`claude-reap${i}`).catch(() => undefined);
    await tmux.close();
    sb.cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
