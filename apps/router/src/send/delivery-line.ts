/**
 * One delivery.log line per send (docs/behaviour.md §6.6), success or refusal. Field order
 * follows the spec table; the body is never logged, only its length.
 */
import { errorMessage, isIapeerError } from '@iapeer/core';
import type { EventFields } from '@iapeer/logclient';
import type { RouteResult } from './route-send';

export type SendPath = 'mcp' | 'cli' | 'fleet';

export interface DeliveryLineInput {
  path: SendPath;
  caller: string | undefined;
  /** The raw arguments: read defensively, they may be invalid. */
  args: unknown;
  ms: number;
  result?: RouteResult;
  replayed?: boolean;
  error?: unknown;
}

export function buildDeliveryLine({ path, caller, args, ms, result, replayed, error }: DeliveryLineInput): EventFields {
  const a = (typeof args === 'object' && args !== null ? args : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    ev: 'delivery',
    path,
    caller: caller || undefined,
    to: str(a.personality),
    rt: str(a.runtime),
    ok: result !== undefined,
    via: result ? `${result.delivered_to.runtime}-${result.delivered_to.personality}` : undefined,
    woke: result ? result.woke : undefined,
    queued: result?.queued,
    qkind: result?.queuedBy,
    qd: result?.queueDepth,
    ms,
    len: typeof a.message === 'string' ? a.message.length : undefined,
    att: Array.isArray(a.attachments) ? a.attachments.length : 0,
    topic: str(a.topic),
    replay: replayed ? true : undefined,
    code: error === undefined ? undefined : isIapeerError(error) ? error.code : 'INTERNAL',
    err: error === undefined ? undefined : errorMessage(error),
  };
}
