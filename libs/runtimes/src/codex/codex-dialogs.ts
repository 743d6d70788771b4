import type { BootDialog } from '../adapter';

/**
 * Codex 0.169.0's boot screens, as captured here (fixtures/*.txt). Like claude's, each
 * answer is one key decided by where the cursor (`>` on the sign-in screens, `›` in
 * the trust menu) sits, so reading a screen twice never overshoots.
 */
export const CODEX_BOOT_DIALOGS: readonly BootDialog[] = [
  // Fresh HOME: "Choose how you want to use Codex." → "3. Sign in another way".
  { name: 'sign-in-cursor', match: /^> [12]\. Sign in with/m, keys: ['Down'] },
  { name: 'sign-in-another-way', match: /^> 3\. Sign in another way/m, keys: ['Enter'] },
  // "Sign in another way" → "1. Use an OpenAI API key" (not Amazon Bedrock).
  { name: 'use-api-key', match: /^> 1\. Use an OpenAI API key/m, keys: ['Enter'] },
  { name: 'use-api-key-cursor', match: /^> 2\. Use Amazon Bedrock/m, keys: ['Up'] },
  // "Paste or type your API key below." The field is prefilled from OPENAI_API_KEY in
  // the session env (the adapter passes it through); an empty field shows its
  // placeholder and is left alone: the boot fails with this screen in the pane tail.
  { name: 'save-api-key', match: /╭API key[^\n]*\n│(?!Paste or type your API key)\S[\s\S]*Press enter to save/, keys: ['Enter'] },
  // A git repo not yet trusted: "Trust this folder? Codex can read, edit, and run files here…"
  { name: 'trust-folder', match: /Trust this folder\?[\s\S]*› 1\. Trust and continue/, keys: ['Enter'] },
  { name: 'trust-folder-cursor', match: /Trust this folder\?[\s\S]*› 2\./, keys: ['Up'] },
  // Not reachable offline; answers as §7.8 records them.
  { name: 'update-available', match: /Update available!/, keys: ['2', 'Enter'] },
  { name: 'hooks-review', match: /Hooks need review/, keys: ['Down', 'Enter'] },
];

/** The composer row: `› ` in column 0 that is not a numbered menu entry (`› 1. Trust…`). */
const PROMPT_ROW = /^› (?!\d+\.)/m;
/** A submit codex holds until its session has started (fixtures/submit-held.txt): a paste now would join it. */
export const CODEX_HELD_SUBMIT = /Waiting for startup/;
/** Screens that show a `›` row but do not take input yet. */
const NOT_YET = /Press enter to continue|Resuming session…/;
/**
 * The composer codex draws before its config has loaded (fixtures/early-composer.txt):
 * its header has no `permissions:` row yet (~3 s). Under load the trust-folder dialog
 * still comes after it (seen 2 runs of 3 with four agents booting on 2 cores). Once the
 * header has scrolled away, this early screen is long past.
 */
const HEADER = /^ {2}>_ OpenAI Codex \(v/m;
const HEADER_LOADED = /^ +permissions: /m;

export function isCodexInputReady(pane: string): boolean {
  if (HEADER.test(pane) && !HEADER_LOADED.test(pane)) return false;
  return PROMPT_ROW.test(pane) && !NOT_YET.test(pane) && !CODEX_HELD_SUBMIT.test(pane) && !CODEX_BOOT_DIALOGS.some((d) => d.match.test(pane));
}
