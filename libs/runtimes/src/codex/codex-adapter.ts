import { limits, loadConfig } from '@iapeer/core';
import type { LaunchContext, RuntimeAdapter } from '../adapter';
import { CODEX_BOOT_DIALOGS, CODEX_HELD_SUBMIT, isCodexInputReady } from './codex-dialogs';
import { CODEX_SCREEN } from './codex-screen';
import { countMatchingLines, filesContain } from '../activity-glob';
import { codexSessionsDir, createCodexSessionIndex } from './codex-sessions';

export interface CodexAdapterOptions {
  /**
   * The Codex executable. When unset it is read per launch from the launch env's
   * `IAPEER_CODEX_BIN` (loadConfig), and that defaults to `codex` on PATH.
   */
  bin?: string;
  /** Appended after iapeer's own flags (§7.8 `[extra…]`). */
  extraArgs?: string[];
  /** How long a submit held by "Waiting for startup" may take to land. @default CODEX_STARTUP_GRACE_MS */
  startupGraceMs?: number;
}

/** A finished compaction in a codex session file: an `event_msg` of type `context_compacted`, or a `compacted` record. */
const CODEX_COMPACT_DONE = /"type":\s*"(context_compacted|compacted)"/;

/**
 * Codex draws its composer and takes a paste ~9–10 s (offline, measured) before its
 * session has started; an Enter in that time shows "Waiting for startup · esc cancel"
 * and the message is submitted by codex itself once started. 30 s covers that start
 * under load; Escape cancels the held submit (the text stays in the input row).
 */
export const CODEX_STARTUP_GRACE_MS = 30_000;

/**
 * The codex runtime (docs/behaviour.md §7.8): the Codex TUI inline (`--no-alt-screen`, so
 * the pane is readable), approvals and sandbox bypassed, `resume --last` to resume.
 */
export function createCodexAdapter(opts: CodexAdapterOptions = {}): RuntimeAdapter {
  const sessions = createCodexSessionIndex();
  return {
    name: 'codex',
    kind: 'tui',
    promptGlyph: '›',
    bootDialogs: [...CODEX_BOOT_DIALOGS],
    buildArgv: (ctx) => buildCodexArgv(opts.bin ?? loadConfig(ctx.env).codexBin, ctx, opts.extraArgs ?? []),
    buildEnv: (ctx) => buildCodexEnv(ctx),
    isInputReady: isCodexInputReady,
    screen: CODEX_SCREEN,
    resolveResume(cwd, env) {
      // `resume --last` takes the newest session of the cwd itself; this only checks there is one (§7.5).
      const newest = sessions.newestFor(cwd, env);
      if (!newest) return { ok: false, reason: `nothing to resume: no codex session for ${cwd} in ${codexSessionsDir(env)}` };
      return { ok: true, ref: newest.id || undefined };
    },
    lastActivityMs: ({ cwd, env }) => sessions.newestFor(cwd, env)?.mtimeMs ?? null,
    transcriptHolds: ({ cwd, env }, needle) => {
      const newest = sessions.newestFor(cwd, env);
      return newest ? filesContain([newest.path], needle) : false;
    },
    compactions: ({ cwd, env }) => {
      const newest = sessions.newestFor(cwd, env);
      return newest ? countMatchingLines([newest.path], CODEX_COMPACT_DONE) : 0;
    },
    submitQueued: { match: CODEX_HELD_SUBMIT, graceMs: opts.startupGraceMs ?? CODEX_STARTUP_GRACE_MS, cancelKeys: ['Escape'] },
    controls: { interrupt: ['Escape'], compact: { text: '/compact', keys: ['Enter'] } },
  };
}

/**
 * `<bin> [resume --last] --no-alt-screen -C <cwd> [-c model_instructions_file="f"]
 * --dangerously-bypass-approvals-and-sandbox [extra…]`. The `-c` value is parsed as
 * TOML by codex, so the path goes in as a quoted string (a JSON string is valid TOML).
 */
export function buildCodexArgv(bin: string, ctx: LaunchContext, extraArgs: readonly string[]): string[] {
  return [
    bin,
    ...(ctx.resume ? ['resume', '--last'] : []),
    '--no-alt-screen',
    '-C',
    ctx.cwd,
    ...(ctx.systemPromptFile ? ['-c', `model_instructions_file=${JSON.stringify(ctx.systemPromptFile)}`] : []),
    '--dangerously-bypass-approvals-and-sandbox',
    ...extraArgs,
  ];
}

/**
 * The public bearer stub that gets codex past its auth gate for the open local MCP
 * server (§2.3, §8.4), and the API key passed through explicitly: codex prefills its
 * sign-in field from OPENAI_API_KEY, which is how the `save-api-key` dialog "types" it.
 */
export function buildCodexEnv(ctx: LaunchContext): Record<string, string> {
  const env: Record<string, string> = { [limits.CODEX_BEARER_ENV_VAR]: limits.CODEX_DUMMY_BEARER };
  if (ctx.env.OPENAI_API_KEY) env.OPENAI_API_KEY = ctx.env.OPENAI_API_KEY;
  return env;
}
