import { IapeerError } from './errors';

/** A peer's name: a lowercase letter first, at most 32 chars, dashes allowed. */
export const PERSONALITY_RE = /^[a-z][a-z0-9-]{0,31}$/;
/** A runtime name: like a personality but with no dashes (identity parses at the first dash). */
export const RUNTIME_RE = /^[a-z][a-z0-9]{0,31}$/;

/** Agentic runtimes that run a TUI in tmux and are woken and reaped by the supervisor. */
export const SUPPORTED_LOCAL_RUNTIMES = ['claude', 'codex'] as const;
/** Always-on router runtimes held by the host's service manager, never woken or reaped. */
export const INFRA_RUNTIMES = ['telegram', 'notifier'] as const;

export interface Identity {
  runtime: string;
  personality: string;
}

export const isPersonality = (s: unknown): s is string => typeof s === 'string' && PERSONALITY_RE.test(s);
export const isRuntime = (s: unknown): s is string => typeof s === 'string' && RUNTIME_RE.test(s);
export const isInfraRuntime = (rt: string): boolean => (INFRA_RUNTIMES as readonly string[]).includes(rt);

/** `<runtime>-<personality>`, e.g. `claude-code-reviewer`. */
export function formatIdentity({ runtime, personality }: Identity): string {
  return `${runtime}-${personality}`;
}

/** Parses at the first dash; null when either half breaks its regex. */
export function parseIdentity(identity: string): Identity | null {
  const dash = identity.indexOf('-');
  if (dash <= 0) return null;
  const runtime = identity.slice(0, dash);
  const personality = identity.slice(dash + 1);
  if (!isRuntime(runtime) || !isPersonality(personality)) return null;
  return { runtime, personality };
}

export function assertPersonality(name: unknown): string {
  if (isPersonality(name)) return name;
  throw new IapeerError('INVALID_PERSONALITY', describePersonalityProblem(name), { data: { value: name } });
}

export function assertRuntime(rt: unknown): string {
  if (isRuntime(rt)) return rt;
  throw new IapeerError(
    'INVALID_RUNTIME',
    `invalid runtime ${JSON.stringify(rt)}: expected a lowercase letter then up to 31 lowercase letters or digits (no dashes), e.g. "claude"`,
    { data: { value: rt } },
  );
}

function describePersonalityProblem(name: unknown): string {
  const shown = JSON.stringify(name);
  const rule = 'expected a lowercase letter first, then up to 31 lowercase letters, digits or dashes (^[a-z][a-z0-9-]{0,31}$)';
  if (typeof name !== 'string') return `invalid peer name ${shown} (${typeof name}): ${rule}`;
  if (name.length === 0) return `invalid peer name "": the name is empty; ${rule}`;
  if (name.length > 32) return `invalid peer name ${shown}: ${name.length} characters, at most 32 allowed; ${rule}`;
  return `invalid peer name ${shown}: ${rule}`;
}
