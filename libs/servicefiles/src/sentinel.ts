import { MANAGED_SENTINEL_KEY } from '@iapeer/core';
import type { JobKind } from './job-spec';

/** plist key naming what an iapeer-owned job holds (service or infra-peer): the two share `com.iapeer.*` labels. */
export const PLIST_KIND_KEY = 'com.iapeer.kind';
/** The systemd sentinel: an `X-` key systemd ignores by design, in [Unit]. */
export const UNIT_SENTINEL_KEY = 'X-IapeerManaged';
export const UNIT_KIND_KEY = 'X-IapeerKind';

/** Who owns a file found at one of our labels. */
export type FileOwnership =
  | { owner: 'ours'; kind: JobKind | undefined }
  | { owner: 'foreign' };

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PLIST_SENTINEL_RE = new RegExp(`<key>${escapeRe(MANAGED_SENTINEL_KEY)}</key>\\s*<true\\s*/>`);
const PLIST_KIND_RE = new RegExp(`<key>${escapeRe(PLIST_KIND_KEY)}</key>\\s*<string>([a-z-]+)</string>`);
const UNIT_SENTINEL_RE = new RegExp(`^${UNIT_SENTINEL_KEY}\\s*=\\s*(true|yes|1)\\s*$`, 'm');
const UNIT_KIND_RE = new RegExp(`^${UNIT_KIND_KEY}\\s*=\\s*([a-z-]+)\\s*$`, 'm');

/**
 * A file is ours only when it carries the sentinel (docs/behaviour.md §7.3): a plist with
 * `com.iapeer.managed` = true, a unit with `X-IapeerManaged=true`. Anything else at
 * our label (an older fleet, a hand-written job) is foreign and is never overwritten.
 * A sentinel file without a kind key (older iapeer) counts as ours of any kind.
 */
export function classifyServiceFile(content: string, format: 'plist' | 'unit'): FileOwnership {
  const [sentinel, kindRe] = format === 'plist' ? [PLIST_SENTINEL_RE, PLIST_KIND_RE] : [UNIT_SENTINEL_RE, UNIT_KIND_RE];
  if (!sentinel.test(content)) return { owner: 'foreign' };
  const kind = kindRe.exec(content)?.[1];
  return { owner: 'ours', kind: kind === 'service' || kind === 'infra-peer' ? kind : undefined };
}
