import { composerAfterGlyph, type ScreenRules } from '../screen/screen-state';
import { CODEX_BOOT_DIALOGS, isCodexInputReady } from './codex-dialogs';

/**
 * How Codex 0.169.0's screen reads (fixtures/*.txt, captured from the real CLI).
 * Waiting: any boot screen, or a numbered menu with the `›` cursor in column 0
 * (`› 1. Trust and continue`, `› 1. Yes, proceed` in an approval). Busy: the working
 * line's "esc to interrupt" (`• Working (3s • esc to interrupt)`, also while it
 * reconnects). The composer's placeholders ("Ask Codex to do anything", "Ask a
 * follow-up question": the two this version draws) are not input.
 */
export const CODEX_SCREEN: ScreenRules = {
  waiting: [...CODEX_BOOT_DIALOGS.map((d) => ({ name: d.name, match: d.match })), { name: 'choice-menu', match: /^[›>] \d+\. \S/m }],
  busy: [{ name: 'esc-to-interrupt', match: /esc to interrupt/ }],
  isInputReady: isCodexInputReady,
  composer: (pane) => composerAfterGlyph(pane, '›', { skip: /^› \d+\. /, ghosts: [/^Ask Codex to do anything$/, /^Ask a follow-up question$/] }),
};
