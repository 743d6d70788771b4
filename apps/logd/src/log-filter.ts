/** The supervise non-decisions that only IAPEER_SUPERVISE_LOG_VERBOSE lets through (§7.6, §7.9). */
const SUPERVISE = /(?:^| )ev=supervise(?: |$)/;
const NON_DECISION = /(?:^| )action=(?:alive|skipped-launchd)(?: |$)/;

export function isSuperviseNonDecision(line: string): boolean {
  // includes() first: most lines are not supervise lines and skip both regexes
  return line.includes('ev=supervise') && NON_DECISION.test(line) && SUPERVISE.test(line);
}

/** A line must be one line; an event-log line must be logfmt starting with `ts=`. */
export function lineProblem(line: string, logfmt: boolean): string | undefined {
  if (logfmt && !line.startsWith('ts=')) return 'is not a logfmt line starting with ts=';
  if (line.includes('\n') || line.includes('\r')) return 'contains a line break';
  return undefined;
}
