import path from 'node:path';
import { resolveHome } from '@iapeer/core';
import { canonicalCwd, listJsonlNewestFirst, type TranscriptFile } from '../shared/transcript-files';

type Env = Record<string, string | undefined>;

/** Claude Code's config dir: `$CLAUDE_CONFIG_DIR`, else `$HOME/.claude`. */
export function claudeConfigDir(env: Env): string {
  return env.CLAUDE_CONFIG_DIR || path.join(resolveHome(env), '.claude');
}

/**
 * The project folder name Claude Code uses for a cwd: the canonical path with every
 * non-alphanumeric character replaced by `-` (docs/behaviour.md §6.3; seen here:
 * `/tmp/exp1/proj` → `-tmp-exp1-proj`).
 */
export function claudeProjectSlug(cwd: string): string {
  return canonicalCwd(cwd).replace(/[^a-zA-Z0-9]/g, '-');
}

/** `<config dir>/projects/<slug>`: where the cwd's `<session uuid>.jsonl` transcripts live. */
export function claudeTranscriptDir(cwd: string, env: Env): string {
  return path.join(claudeConfigDir(env), 'projects', claudeProjectSlug(cwd));
}

/** The newest transcript of the cwd (what `--continue` resumes), or null. */
export function newestClaudeTranscript(cwd: string, env: Env): (TranscriptFile & { uuid: string }) | null {
  const [newest] = listJsonlNewestFirst(claudeTranscriptDir(cwd, env));
  return newest ? { ...newest, uuid: path.basename(newest.path, '.jsonl') } : null;
}
