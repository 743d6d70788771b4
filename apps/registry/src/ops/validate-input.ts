import path from 'node:path';
import { IapeerError, assertPersonality, assertRuntime, normalizeIntelligence } from '@iapeer/core';
import type { UpsertInput } from '@iapeer/contracts';
import { clampDescription } from '../file/peer-record';

/** Upsert arguments after validation: what the H1 merge consumes. */
export interface UpsertArgs {
  personality: string;
  runtime: string;
  runtimes?: string[];
  /** Clamped; absent or blank keeps the existing description. */
  description?: string;
  /** Raw explicit value (contract or legacy vocabulary). */
  intelligence?: string;
  interfaces?: Record<string, unknown>;
  cwd: string;
}

export function assertCwd(cwd: unknown): string {
  if (typeof cwd !== 'string' || cwd.length === 0 || !path.isAbsolute(cwd)) {
    throw new IapeerError('INVALID_INPUT', `invalid cwd ${JSON.stringify(cwd)}: expected an absolute folder path`, { data: { value: cwd } });
  }
  return path.resolve(cwd);
}

/** Validation before the queue (docs/behaviour.md §4.3 step 1): bad input is refused before any lock or write. */
export function validateUpsert(input: UpsertInput): { args: UpsertArgs; warnings: string[] } {
  const warnings: string[] = [];
  const args: UpsertArgs = {
    personality: assertPersonality(input.personality),
    runtime: assertRuntime(input.runtime),
    cwd: assertCwd(input.cwd),
  };
  if (input.runtimes) args.runtimes = input.runtimes.map(assertRuntime);
  if (input.intelligence !== undefined) {
    normalizeIntelligence(input.intelligence); // throws INVALID_INTELLIGENCE with the accepted values
    args.intelligence = input.intelligence;
  }
  if (input.description !== undefined && input.description.trim() !== '') {
    const c = clampDescription(input.description);
    if (c.warning) warnings.push(c.warning);
    args.description = c.description;
  }
  if (input.interfaces !== undefined) args.interfaces = input.interfaces;
  return { args, warnings };
}
