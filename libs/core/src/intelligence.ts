import { IapeerError } from './errors';

/** What kind of entity speaks through a runtime. */
export type Intelligence = 'artificial' | 'natural' | 'absent';
export const INTELLIGENCE_VALUES: readonly Intelligence[] = ['artificial', 'natural', 'absent'];
/** Read-compat only: legacy raw values and the nature they mean. Writers keep raw values verbatim. */
export const LEGACY_INTELLIGENCE: Readonly<Record<string, Intelligence>> = { human: 'natural', scripted: 'absent' };

const NATURAL_RUNTIMES = new Set(['telegram', 'discord', 'matrix', 'email', 'web']);
const ABSENT_RUNTIMES = new Set(['notifier', 'webhook', 'api', 'cron']);

export function defaultIntelligence(runtime: string): Intelligence {
  if (NATURAL_RUNTIMES.has(runtime)) return 'natural';
  if (ABSENT_RUNTIMES.has(runtime)) return 'absent';
  return 'artificial';
}

export function isKnownIntelligence(raw: string): boolean {
  // own keys only: `toString` is "in" every object (found by the fuzzed-contracts suite)
  return (INTELLIGENCE_VALUES as readonly string[]).includes(raw) || Object.hasOwn(LEGACY_INTELLIGENCE, raw);
}

/** The nature of a raw on-disk value; throws a coded error on an unknown one. */
export function normalizeIntelligence(raw: string): Intelligence {
  if ((INTELLIGENCE_VALUES as readonly string[]).includes(raw)) return raw as Intelligence;
  if (Object.hasOwn(LEGACY_INTELLIGENCE, raw)) return LEGACY_INTELLIGENCE[raw];
  throw new IapeerError(
    'INVALID_INTELLIGENCE',
    `unknown intelligence ${JSON.stringify(raw)}: expected one of artificial, natural, absent (legacy human, scripted are read as natural, absent)`,
    { data: { value: raw } },
  );
}
