import type { Env } from '@iapeer/core';
import type { RuntimeAdapter } from './adapter';
import { createNotifierAdapter, createTelegramAdapter } from './router-adapters';
import { createClaudeAdapter } from './claude/claude-adapter';
import { createCodexAdapter } from './codex/codex-adapter';

/** Builds one built-in adapter from the environment (binaries, CODEX_HOME…). */
export type RuntimeFactory = (env: Env) => RuntimeAdapter;

/**
 * The built-in TUI agents (§7.8). Their binaries are read per launch from the session env
 * (IAPEER_CLAUDE_BIN / IAPEER_CODEX_BIN, default `claude` / `codex` on PATH).
 */
export const BUILTIN_TUI_ADAPTERS: Record<string, RuntimeFactory> = {
  claude: () => createClaudeAdapter(),
  codex: () => createCodexAdapter(),
};

/** The always-on router runtimes (§7.8). */
export const ROUTER_ADAPTERS: Record<string, RuntimeFactory> = {
  telegram: createTelegramAdapter,
  notifier: createNotifierAdapter,
};

/** Every built-in factory: what loadRuntimes uses when `builtins` is not given. */
export function defaultBuiltins(): Record<string, RuntimeFactory> {
  return { ...ROUTER_ADAPTERS, ...BUILTIN_TUI_ADAPTERS };
}
