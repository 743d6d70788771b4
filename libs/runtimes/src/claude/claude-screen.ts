import { composerAfterGlyph, type ScreenRules } from '../screen/screen-state';
import { CLAUDE_BOOT_DIALOGS, isClaudeInputReady } from './claude-dialogs';

/**
 * How Claude Code 2.1.197's screen reads (fixtures/*.txt, captured from the real CLI).
 * Waiting: any boot dialog, or a numbered choice menu whose cursor `❯` is indented
 * (the input row's `❯` is in column 0; permission and question dialogs draw
 * ` ❯ 1. Yes`). Busy: the status row's "esc to interrupt", shown while a turn runs
 * (even while it only retries a connection). The empty input row may carry a ghost
 * suggestion `Try "…"`, which is not input.
 */
export const CLAUDE_SCREEN: ScreenRules = {
  waiting: [...CLAUDE_BOOT_DIALOGS.map((d) => ({ name: d.name, match: d.match })), { name: 'choice-menu', match: /^\s+❯ \d+\. \S/m }],
  busy: [{ name: 'esc-to-interrupt', match: /esc to interrupt/ }],
  isInputReady: isClaudeInputReady,
  composer: (pane) => composerAfterGlyph(pane, '❯', { ghosts: [/^Try "[^"\n]*"$/] }),
};
