import { loadConfig } from '@iapeer/core';
import type { LaunchContext, RuntimeAdapter } from '../adapter';
import { CLAUDE_BOOT_DIALOGS, isClaudeInputReady } from './claude-dialogs';
import { CLAUDE_SCREEN } from './claude-screen';
import { countMatchingLines, filesContain } from '../activity-glob';
import { listJsonlNewestFirst } from '../shared/transcript-files';
import { newestClaudeTranscript, claudeTranscriptDir } from './claude-transcripts';

export interface ClaudeAdapterOptions {
  /**
   * The Claude Code executable. When unset it is read per launch from the launch
   * env's `IAPEER_CLAUDE_BIN` (loadConfig), and that defaults to `claude` on PATH.
   */
  bin?: string;
  /** Appended after iapeer's own flags (§7.8 `[extra…]`). */
  extraArgs?: string[];
  /**
   * Whether the session runs as root: Claude Code refuses
   * `--dangerously-skip-permissions` as root unless `IS_SANDBOX=1` (docs/notes/stack.md).
   * @default () => process.getuid?.() === 0
   */
  isRoot?: () => boolean;
}

/** The transcript's record of a finished compaction: `{"type":"system","subtype":"compact_boundary",…}`. */
const CLAUDE_COMPACT_DONE = /"subtype":\s*"compact_boundary"/;

/**
 * The claude runtime (docs/behaviour.md §7.8): Claude Code in its TUI, permissions bypassed,
 * the composed prompt appended to its own system prompt, `--continue` to resume.
 */
export function createClaudeAdapter(opts: ClaudeAdapterOptions = {}): RuntimeAdapter {
  const isRoot = opts.isRoot ?? (() => process.getuid?.() === 0);
  return {
    name: 'claude',
    kind: 'tui',
    promptGlyph: '❯',
    bootDialogs: [...CLAUDE_BOOT_DIALOGS],
    buildArgv: (ctx) => buildClaudeArgv(opts.bin ?? loadConfig(ctx.env).claudeBin, ctx, opts.extraArgs ?? []),
    buildEnv: (): Record<string, string> => (isRoot() ? { IS_SANDBOX: '1' } : {}),
    isInputReady: isClaudeInputReady,
    screen: CLAUDE_SCREEN,
    resolveResume(cwd, env) {
      const newest = newestClaudeTranscript(cwd, env);
      if (!newest) return { ok: false, reason: `nothing to resume: no claude transcript in ${claudeTranscriptDir(cwd, env)}` };
      return { ok: true, ref: newest.uuid };
    },
    lastActivityMs: ({ cwd, env }) => newestClaudeTranscript(cwd, env)?.mtimeMs ?? null,
    // the few newest sessions: a message landed moments ago, possibly just before a relaunch
    transcriptHolds: ({ cwd, env }, needle) => filesContain(listJsonlNewestFirst(claudeTranscriptDir(cwd, env)).slice(0, 3).map((f) => f.path), needle),
    compactions: ({ cwd, env }) => countMatchingLines(listJsonlNewestFirst(claudeTranscriptDir(cwd, env)).slice(0, 3).map((f) => f.path), CLAUDE_COMPACT_DONE),
    controls: { interrupt: ['Escape'], compact: { text: '/compact', keys: ['Enter'] } },
  };
}

/**
 * `<bin> --dangerously-skip-permissions --disallowedTools AskUserQuestion --add-dir /
 * [--append-system-prompt-file f] [--continue] [extra…]`. The prompt is appended, not
 * substituted: replacing Claude Code's own system prompt would drop its tool rules.
 * `--continue`, not `--resume <uuid>` (§7.5): it picks the cwd's newest transcript.
 */
export function buildClaudeArgv(bin: string, ctx: LaunchContext, extraArgs: readonly string[]): string[] {
  return [
    bin,
    '--dangerously-skip-permissions',
    '--disallowedTools',
    'AskUserQuestion',
    '--add-dir',
    '/',
    ...(ctx.systemPromptFile ? ['--append-system-prompt-file', ctx.systemPromptFile] : []),
    ...(ctx.resume ? ['--continue'] : []),
    ...extraArgs,
  ];
}
