import type { TailInput, TailItem } from '@iapeer/contracts';
import { isEventLog, type LogStore } from './log-store';
import { buildMatcher } from './query';
import { readFrom } from './read-range';

/** Bytes read per item while catching up (a line is at most ~192 KiB of UTF-8). */
const CHUNK_BYTES = 1024 * 1024;

/**
 * New lines of a log from `from` (default: the end), read from the files themselves,
 * so a reader that reconnects with its last `pos` misses nothing that is still kept.
 */
export async function* tailLog(store: LogStore, input: TailInput, signal: AbortSignal | undefined): AsyncGenerator<TailItem> {
  const { log } = input;
  const file = store.file(log);
  const match = buildMatcher(input, isEventLog(log));
  let pos = input.from ?? file.end();
  let wake: (() => void) | undefined;
  let dirty = false;
  const onAppend = (name: string) => {
    if (name !== log) return;
    dirty = true;
    wake?.();
  };
  const onAbort = () => wake?.();
  store.appended.on('appended', onAppend);
  signal?.addEventListener('abort', onAbort);
  try {
    while (!signal?.aborted) {
      dirty = false;
      const r = readFrom(file.segments(), pos, CHUNK_BYTES);
      pos = r.pos;
      const lines = r.lines.filter(match);
      if (lines.length > 0 || r.skipped > 0) {
        yield { pos, lines, skipped: r.skipped };
        continue;
      }
      if (dirty) continue;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    store.appended.off('appended', onAppend);
    signal?.removeEventListener('abort', onAbort);
  }
}
