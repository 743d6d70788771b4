import type { BootDialog } from '../adapter';

/**
 * Claude Code 2.1.197's boot dialogs, as captured here (fixtures/*.txt). Every answer
 * is ONE key chosen from where the cursor `❯` is, so a dialog seen twice (the boot
 * loop re-reads the pane before the TUI redraws) can never push a second Enter into
 * the next dialog: the worst case is a cursor move that the next pass corrects.
 * Order matters only for readability; the patterns are mutually exclusive.
 */
export const CLAUDE_BOOT_DIALOGS: readonly BootDialog[] = [
  // "Accessing workspace: … Quick safety check: Is this a project you created or one you trust?"
  { name: 'trust-folder', match: /❯ 1\. Yes, I trust this folder/, keys: ['Enter'] },
  { name: 'trust-folder-cursor', match: /Yes, I trust this folder\s*\n\s*❯ 2\. No, exit/, keys: ['Up'] },
  // "Allow external CLAUDE.md file imports?" (a CLAUDE.md importing files outside the cwd)
  { name: 'external-imports', match: /❯ 1\. Yes, allow external imports/, keys: ['Enter'] },
  { name: 'external-imports-cursor', match: /Yes, allow external imports\s*\n\s*❯ 2\. No/, keys: ['Up'] },
  // "Detected a custom API key in your environment … Do you want to use this API key?"
  // The default is "2. No (recommended)": Up, then Enter on "1. Yes".
  { name: 'api-key-confirm-cursor', match: /Do you want to use this API key\?[\s\S]*❯ 2\. No/, keys: ['Up'] },
  { name: 'api-key-confirm', match: /Do you want to use this API key\?[\s\S]*❯ 1\. Yes/, keys: ['Enter'] },
  // "WARNING: Claude Code running in Bypass Permissions mode": the default is "1. No, exit".
  { name: 'bypass-confirm-cursor', match: /Bypass Permissions mode[\s\S]*❯ 1\. No, exit/, keys: ['Down'] },
  { name: 'bypass-confirm', match: /Bypass Permissions mode[\s\S]*❯ 2\. Yes, I accept/, keys: ['Enter'] },
  // The resume picker ("This session is … old and … tokens"): never the compacting
  // default "1. Resume from summary"; walk to "2. Resume full session as-is" (§7.8).
  { name: 'resume-picker', match: /❯ 2\. Resume full session as-is/, keys: ['Enter'] },
  { name: 'resume-picker-cursor-down', match: /❯ 1\. Resume from summary/, keys: ['Down'] },
  { name: 'resume-picker-cursor-up', match: /Resume full session as-is[\s\S]*❯ 3\. Don't ask me again/, keys: ['Up'] },
  // Onboarding's theme picker and the dev-channels warning: the default is fine.
  { name: 'theme-picker', match: /Choose the text style that looks best with your terminal/, keys: ['Enter'] },
  { name: 'dev-channels', match: /WARNING: Loading development channels/, keys: ['Enter'] },
];

/** The status line Claude Code shows under its input box when started with our argv. */
const READY_MARKER = /bypass permissions on/;
/** The input row: `❯` in column 0 (dialog cursors are indented). */
const PROMPT_ROW = /^❯/m;

export function isClaudeInputReady(pane: string): boolean {
  return READY_MARKER.test(pane) && PROMPT_ROW.test(pane) && !CLAUDE_BOOT_DIALOGS.some((d) => d.match.test(pane));
}
