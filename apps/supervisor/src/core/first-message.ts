/**
 * The first turn of a launched session (§7.4 step 7.7): on a fresh wake with an
 * `initial_prompt`, the seed, a blank line, then the task (the seed alone when the task
 * is empty); otherwise the task. A resume never repeats the seed.
 */
export function composeFirstMessage({ fresh, initialPrompt, task }: { fresh: boolean; initialPrompt?: string; task: string }): string {
  const seed = fresh ? (initialPrompt ?? '').trim() : '';
  if (!seed) return task;
  return task ? `${seed}\n\n${task}` : seed;
}
