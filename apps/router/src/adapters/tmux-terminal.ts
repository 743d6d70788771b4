/**
 * Terminal + liveness adapter: verified delivery and control keys through libs/runtimes
 * over the tmux driver (libs/tmux). `deliver` throws DELIVERY_NOT_CONFIRMED or
 * SESSION_NOT_LIVE when the landing is not confirmed; here that becomes `ok:false` with
 * the reason, so routeSend reports it and never a false success.
 */
import path from 'node:path';
import fs from 'node:fs';
import { errorMessage, isIapeerError, parseIdentity, type IapeerConfig, type Env } from '@iapeer/core';
import { combineWithHumans, deliver, readScreen, sendCompact, sendInterrupt, submitLeftoverPaste, type RuntimeAdapter } from '@iapeer/runtimes';
import type { TmuxDriver } from '@iapeer/tmux';
import type { SessionProbe, TerminalPort } from '../ports';

export interface TmuxTerminalOptions {
  driver: TmuxDriver;
  adapterFor(runtime: string): RuntimeAdapter | undefined;
  cfg: IapeerConfig;
  paneLogDir: string;
  env: Env;
}

export function createTmuxTerminal({ driver, adapterFor, cfg, paneLogDir, env }: TmuxTerminalOptions): TerminalPort {
  return {
    async deliver(target, text) {
      const adapter = adapterFor(target.runtime);
      if (!adapter) return { ok: false, reason: `runtime "${target.runtime}" has no adapter (unknown, or its runtime.json is invalid); message NOT delivered` };
      try {
        await deliver({ tmux: driver, identity: target.identity, adapter, text, cfg, cwd: target.cwd, env, paneLog: path.join(paneLogDir, `${target.identity}.log`) });
        return { ok: true };
      } catch (err) {
        // SESSION_NOT_LIVE is decided before anything lands (liveness is checked with the paste)
        return { ok: false, reason: errorMessage(err), notLive: isIapeerError(err) && err.code === 'SESSION_NOT_LIVE' };
      }
    },
    async landed(target, sendId) {
      const adapter = adapterFor(target.runtime);
      if (!adapter?.transcriptHolds) return null;
      // the id as the envelope writes it: id="<hex>" (hex needs no escaping in any transcript format)
      return adapter.transcriptHolds({ cwd: target.cwd, env, paneLog: path.join(paneLogDir, `${target.identity}.log`) }, sendId);
    },
    async compactions(target) {
      const adapter = adapterFor(target.runtime);
      if (!adapter?.compactions) return null;
      return adapter.compactions({ cwd: target.cwd, env, paneLog: path.join(paneLogDir, `${target.identity}.log`) });
    },
    async screenState(target) {
      const adapter = adapterFor(target.runtime);
      if (!adapter || !driver.observe) return { state: 'unknown', why: 'no screen rules or no observe' };
      const seen = await driver.observe(target.identity);
      return combineWithHumans(readScreen(adapter, seen.screen), seen.humans);
    },
    async sessionToken(target) {
      if (!driver.inspect) return null;
      const pane = await driver.inspect(target.identity);
      return pane.state === 'running' ? `pid:${pane.pid ?? '?'}` : null;
    },
    async submitLeftover(target) {
      const adapter = adapterFor(target.runtime);
      if (!adapter) return false;
      return submitLeftoverPaste({ tmux: driver, identity: target.identity, adapter, cfg, paneLog: path.join(paneLogDir, `${target.identity}.log`) });
    },
    async control(target, command) {
      const adapter = adapterFor(target.runtime);
      if (!adapter || adapter.kind === 'router') return 'unsupported';
      if (command === 'interrupt') await sendInterrupt({ tmux: driver, identity: target.identity, adapter });
      else await sendCompact({ tmux: driver, identity: target.identity, adapter });
      return 'done';
    },
  };
}

/** `socketOf` is the tmux socket path of an identity (IapeerPaths.tmuxSocket): no socket, no session. */
export function createTmuxSessionProbe(driver: TmuxDriver, socketOf: (identity: string) => string): SessionProbe {
  return {
    isLive: (identity) => driver.isAlive(identity),
    mayBeLive: async (identity) => fs.existsSync(socketOf(identity)),
    async liveRuntimes(personality) {
      return (await driver.listLive())
        .map(parseIdentity)
        .filter((id) => id !== null && id.personality === personality)
        .map((id) => id!.runtime)
        .sort();
    },
  };
}
