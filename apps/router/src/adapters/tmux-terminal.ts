/**
 * Terminal + liveness adapter over the TmuxDriver port (libs/tmux) and the runtime
 * adapters (libs/runtimes). GUESSED SHAPE of the verified delivery in libs/runtimes:
 *   `deliver({ driver, adapter, identity, text, cwd }) → DeliveryResult`
 * (paste, submit, confirm by input-cleared or activity, §6.3). Pass it in; fix the
 * call here at merge. Compact = paste the adapter's `controls.compact.text`, wait
 * 300 ms, send its keys (§6.5) — a guess at how the driver types literal text.
 */
import { parseIdentity } from '@iapeer/core';
import type { DeliveryResult, RuntimeAdapter } from '@iapeer/runtimes';
import type { TmuxDriver } from '@iapeer/tmux';
import type { SessionProbe, TerminalPort } from '../ports';

export type VerifiedDeliver = (args: { driver: TmuxDriver; adapter: RuntimeAdapter; identity: string; text: string; cwd: string }) => Promise<DeliveryResult>;

export interface TmuxTerminalOptions {
  driver: TmuxDriver;
  adapterFor(runtime: string): RuntimeAdapter | undefined;
  deliver: VerifiedDeliver;
  /** @default setTimeout-based */
  sleep?: (ms: number) => Promise<void>;
}

export const COMPACT_SETTLE_MS = 300;

export function createTmuxTerminal({ driver, adapterFor, deliver, sleep = defaultSleep }: TmuxTerminalOptions): TerminalPort {
  return {
    async deliver(target, text) {
      const adapter = adapterFor(target.runtime);
      if (!adapter) return { ok: false, reason: `runtime "${target.runtime}" has no adapter (unknown, or its runtime.json is invalid); message NOT delivered` };
      const r = await deliver({ driver, adapter, identity: target.identity, text, cwd: target.cwd });
      return r.ok ? { ok: true } : { ok: false, reason: r.reason };
    },
    async control(target, command) {
      const adapter = adapterFor(target.runtime);
      if (!adapter || adapter.kind === 'router') return 'unsupported';
      if (command === 'interrupt') {
        await driver.sendKeys(target.identity, adapter.controls.interrupt);
      } else {
        await driver.paste(target.identity, adapter.controls.compact.text);
        await sleep(COMPACT_SETTLE_MS);
        await driver.sendKeys(target.identity, adapter.controls.compact.keys);
      }
      return 'done';
    },
  };
}

export function createTmuxSessionProbe(driver: TmuxDriver): SessionProbe {
  return {
    isLive: (identity) => driver.isAlive(identity),
    async liveRuntimes(personality) {
      return (await driver.listLive())
        .map(parseIdentity)
        .filter((id) => id !== null && id.personality === personality)
        .map((id) => id!.runtime)
        .sort();
    },
  };
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
