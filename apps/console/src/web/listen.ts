/**
 * Turns a listener registration into an async iterable a tRPC subscription can yield
 * from: values queue while the page's connection drains, and the registration is
 * removed when the page goes away (the request's abort signal).
 */
export async function* listen<T>(register: (push: (v: T) => void) => () => void, signal: AbortSignal | undefined, keep: 'all' | 'latest' = 'all'): AsyncIterable<T> {
  const queue: T[] = [];
  let wake: (() => void) | null = null;
  const off = register((v) => {
    // a snapshot supersedes the one before it: a slow page gets the newest, not a backlog
    if (keep === 'latest') queue.length = 0;
    queue.push(v);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    while (!signal?.aborted) {
      if (queue.length === 0) await new Promise<void>((r) => (wake = r));
      wake = null;
      while (queue.length > 0 && !signal?.aborted) yield queue.shift()!;
    }
  } finally {
    off();
    signal?.removeEventListener('abort', onAbort);
  }
}
