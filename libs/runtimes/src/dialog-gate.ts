/**
 * When the boot loop may answer a boot dialog (docs/behaviour.md §7.8 step 10.3). Two rules,
 * both from the real Claude Code under load (apps/e2e claude-lifecycle test, pane log):
 * 1. Answer a dialog only when two consecutive captures match it: a capture taken in the
 *    middle of a redraw can show a stale cursor row.
 * 2. After answering a dialog, do not answer the SAME dialog again for `retryMs` unless
 *    another screen came in between: the agent may simply not have redrawn yet. Claude's
 *    bypass menu wraps, so a second `Down` sent on a stale screen moved the cursor back
 *    to "1. No, exit", the next `Enter` chose it and the agent exited. After `retryMs`
 *    the key is sent again (codex drops a key that arrives right after a screen change;
 *    the same answer ~2 s later works, docs/notes/agents.md).
 */
export class DialogGate {
  private lastSeen: string | null = null;
  private lastAnswer: { name: string; at: number } | null = null;

  constructor(private readonly retryMs: number) {}

  /** `name` = the dialog this capture matches (null: none). True: send its keys now. */
  shouldAnswer(name: string | null, now: number): boolean {
    const confirmed = name !== null && this.lastSeen === name;
    this.lastSeen = name;
    if (!confirmed) return false;
    if (this.lastAnswer?.name === name && now - this.lastAnswer.at < this.retryMs) return false;
    this.lastAnswer = { name, at: now };
    return true;
  }
}
