import type { Env } from '@iapeer/core';
import type { RuntimeAdapter } from './adapter';

/**
 * telegram / notifier (§7.8): always-on router runtimes held by the host's service
 * manager. No dialogs, always ready, no activity proxy, resume trivially ok, and no
 * control commands (the control helpers refuse kind 'router').
 */
function createRouterAdapter(name: string, bin: string, extra: Partial<RuntimeAdapter> = {}): RuntimeAdapter {
  return {
    name,
    kind: 'router',
    promptGlyph: '',
    bootDialogs: [],
    buildArgv: () => [bin, 'run'],
    buildEnv: () => ({}),
    isInputReady: () => true,
    resolveResume: () => ({ ok: true }),
    lastActivityMs: () => null,
    controls: { interrupt: [], compact: { text: '', keys: [] } },
    ...extra,
  };
}

export function createTelegramAdapter(env: Env): RuntimeAdapter {
  return createRouterAdapter('telegram', env.TELEGRAM_RUNTIME_BIN || 'telegram-runtime', { requiresIntelligence: 'natural' });
}

export function createNotifierAdapter(env: Env): RuntimeAdapter {
  return createRouterAdapter('notifier', env.NOTIFIER_RUNTIME_BIN || 'notifier-runtime');
}
