import type { Env } from './paths';

/**
 * Typed configuration read from the environment. A number that is not finite or
 * not > 0 falls back to its default (docs/behaviour.md §7.1): a typo never disables a guard.
 */
export interface IapeerConfig {
  bootDeadlineSecs: number;
  readyGateSecs: number;
  idleSecs: number;
  crashLoopMax: number;
  crashLoopWindowSecs: number;
  /** §7.7: an armed ephemeral worker is reaped after this long without activity. */
  ephemeralQuietSecs: number;
  /** §7.7: an ephemeral worker that never armed is reaped after this long without activity. */
  ephemeralUnarmedIdleSecs: number;
  /** §7.7: at most this many messages wait in one ephemeral worker's queue; one more is refused (QUEUE_FULL). */
  ephemeralQueueMax: number;
  superviseIntervalMs: number;
  pasteSettleMs: number;
  submitTimeoutMs: number;
  /** §6.3 step 3.1: how long to wait for the pasted text to show in the input area. */
  pasteVisibleMs: number;
  /** §6.3 step 3.2: after each Enter, how long to wait for the input row to clear. */
  submitWindowMs: number;
  livenessGraceMs: number;
  mcpPort: number;
  bearerToken: string | undefined;
  lifecycleLogMaxBytes: number;
  lifecycleLogKeep: number;
  deliveryLogMaxBytes: number;
  deliveryLogKeep: number;
  serviceLogMaxBytes: number;
  serviceLogKeep: number;
  /** A pane log (`logs/lifecycle/<identity>.log`) is rotated when a write would pass this size. */
  paneLogMaxBytes: number;
  /** Rotated pane logs kept (`.1` newest … `.N` oldest): at most (N + 1) × paneLogMaxBytes per identity. */
  paneLogKeep: number;
  superviseLogVerbose: boolean;
  testSandbox: boolean;
  claudeBin: string;
  codexBin: string;
  mcpIdentityMode: 'token' | 'header-only';
  /** §7.10: how often `run-infra` checks that its always-on session is still up. */
  infraPollMs: number;
  /** §7.10: how long after launching `run-infra` rechecks the session (dead by then = exit 1). */
  infraRecheckMs: number;
  /** §6.5: how long `compact` waits for the transcript's compaction-done record. */
  compactDoneTimeoutMs: number;
  /** §6.5: how often `compact` looks for it. */
  compactDonePollMs: number;
  /** §6.5: after resuming a parked peer, how long `compact` waits for its input prompt. */
  compactReadyGraceMs: number;
  /** §6.4: a message held for a human's composer or a dialog fails (never force-pasted) after this long. */
  composerQueueTimeoutMs: number;
}

export const CONFIG_DEFAULTS = {
  bootDeadlineSecs: 240,
  readyGateSecs: 120,
  idleSecs: 3600,
  crashLoopMax: 3,
  crashLoopWindowSecs: 300,
  ephemeralQuietSecs: 20,
  ephemeralUnarmedIdleSecs: 600,
  ephemeralQueueMax: 1000,
  superviseIntervalMs: 60_000,
  pasteSettleMs: 250,
  submitTimeoutMs: 4000,
  pasteVisibleMs: 1500,
  submitWindowMs: 500,
  livenessGraceMs: 3000,
  mcpPort: 8765,
  lifecycleLogMaxBytes: 5 * 1024 * 1024,
  lifecycleLogKeep: 5,
  deliveryLogMaxBytes: 5 * 1024 * 1024,
  deliveryLogKeep: 5,
  serviceLogMaxBytes: 5 * 1024 * 1024,
  serviceLogKeep: 5,
  paneLogMaxBytes: 10 * 1024 * 1024,
  paneLogKeep: 2,
  infraPollMs: 5000,
  infraRecheckMs: 2000,
  compactDoneTimeoutMs: 290_000,
  compactDonePollMs: 1000,
  compactReadyGraceMs: 5000,
  composerQueueTimeoutMs: 120_000,
} as const;

/** parseInt semantics; anything not finite and > 0 is the default. */
export function positiveInt(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number.parseInt(raw, 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** A TCP port: 0 (let the OS pick, for tests) to 65535; anything else is the default. */
export function tcpPort(raw: string | undefined, fallback: number): number {
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return fallback;
  const n = Number.parseInt(raw, 10);
  return n <= 65535 ? n : fallback;
}

export function truthy(raw: string | undefined): boolean {
  return raw !== undefined && /^(1|true|yes|on)$/i.test(raw.trim());
}

export function loadConfig(env: Env = process.env): IapeerConfig {
  const d = CONFIG_DEFAULTS;
  const int = (name: string, fallback: number) => positiveInt(env[name], fallback);
  return {
    bootDeadlineSecs: int('IAPEER_BOOT_DEADLINE_SECS', d.bootDeadlineSecs),
    readyGateSecs: int('IAPEER_READY_GATE_SECS', d.readyGateSecs),
    idleSecs: int('IAPEER_IDLE_SECS', d.idleSecs),
    crashLoopMax: int('IAPEER_CRASHLOOP_MAX', d.crashLoopMax),
    crashLoopWindowSecs: int('IAPEER_CRASHLOOP_WINDOW_SECS', d.crashLoopWindowSecs),
    ephemeralQuietSecs: int('IAPEER_EPHEMERAL_QUIET_SECS', d.ephemeralQuietSecs),
    ephemeralUnarmedIdleSecs: int('IAPEER_EPHEMERAL_UNARMED_IDLE_SECS', d.ephemeralUnarmedIdleSecs),
    ephemeralQueueMax: int('IAPEER_EPHEMERAL_QUEUE_MAX', d.ephemeralQueueMax),
    superviseIntervalMs: int('IAPEER_SUPERVISE_INTERVAL_MS', d.superviseIntervalMs),
    pasteSettleMs: int('IAP_TMUX_PASTE_SETTLE_MS', d.pasteSettleMs),
    submitTimeoutMs: int('IAP_TMUX_SUBMIT_TIMEOUT_MS', d.submitTimeoutMs),
    pasteVisibleMs: int('IAP_TMUX_PASTE_VISIBLE_MS', d.pasteVisibleMs),
    submitWindowMs: int('IAP_TMUX_SUBMIT_WINDOW_MS', d.submitWindowMs),
    livenessGraceMs: int('IAP_LIVENESS_GRACE_MS', d.livenessGraceMs),
    mcpPort: tcpPort(env.IAPEER_PORT, d.mcpPort),
    bearerToken: env.IAPEER_BEARER_TOKEN || undefined,
    lifecycleLogMaxBytes: int('IAPEER_LIFECYCLE_LOG_MAX_BYTES', d.lifecycleLogMaxBytes),
    lifecycleLogKeep: int('IAPEER_LIFECYCLE_LOG_KEEP', d.lifecycleLogKeep),
    deliveryLogMaxBytes: int('IAPEER_DELIVERY_LOG_MAX_BYTES', d.deliveryLogMaxBytes),
    deliveryLogKeep: int('IAPEER_DELIVERY_LOG_KEEP', d.deliveryLogKeep),
    serviceLogMaxBytes: int('IAPEER_SERVICE_LOG_MAX_BYTES', d.serviceLogMaxBytes),
    serviceLogKeep: int('IAPEER_SERVICE_LOG_KEEP', d.serviceLogKeep),
    paneLogMaxBytes: int('IAPEER_PANE_LOG_MAX_BYTES', d.paneLogMaxBytes),
    paneLogKeep: int('IAPEER_PANE_LOG_KEEP', d.paneLogKeep),
    superviseLogVerbose: truthy(env.IAPEER_SUPERVISE_LOG_VERBOSE),
    testSandbox: env.IAPEER_TEST_SANDBOX === '1',
    claudeBin: env.IAPEER_CLAUDE_BIN || 'claude',
    codexBin: env.IAPEER_CODEX_BIN || 'codex',
    mcpIdentityMode: env.IAPEER_MCP_IDENTITY === 'header-only' ? 'header-only' : 'token',
    infraPollMs: int('IAPEER_INFRA_POLL_MS', d.infraPollMs),
    infraRecheckMs: int('IAPEER_INFRA_RECHECK_MS', d.infraRecheckMs),
    compactDoneTimeoutMs: int('IAPEER_COMPACT_DONE_TIMEOUT_MS', d.compactDoneTimeoutMs),
    compactDonePollMs: int('IAPEER_COMPACT_DONE_POLL_MS', d.compactDonePollMs),
    compactReadyGraceMs: int('IAPEER_COMPACT_READY_GRACE_MS', d.compactReadyGraceMs),
    composerQueueTimeoutMs: int('IAPEER_COMPOSER_QUEUE_TIMEOUT_MS', d.composerQueueTimeoutMs),
  };
}
