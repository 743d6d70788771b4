import type { Env } from '@iapeer/core';
import type { RuntimeAdapter } from './adapter';
import { createNotifierAdapter, createTelegramAdapter } from './router-adapters';

/** Builds one built-in adapter from the environment (binaries, CODEX_HOME…). */
export type RuntimeFactory = (env: Env) => RuntimeAdapter;

/**
 * The registration point of the built-in TUI agents. Empty here on purpose: the claude
 * and codex adapters (libs/runtimes/src/claude*.ts, codex*.ts) add themselves with
 * `BUILTIN_TUI_ADAPTERS.claude = createClaudeAdapter` etc.
 */
export const BUILTIN_TUI_ADAPTERS: Record<string, RuntimeFactory> = {};

/** The always-on router runtimes (§7.8). */
export const ROUTER_ADAPTERS: Record<string, RuntimeFactory> = {
  telegram: createTelegramAdapter,
  notifier: createNotifierAdapter,
};

/** Every built-in factory: what loadRuntimes uses when `builtins` is not given. */
export function defaultBuiltins(): Record<string, RuntimeFactory> {
  return { ...ROUTER_ADAPTERS, ...BUILTIN_TUI_ADAPTERS };
}
