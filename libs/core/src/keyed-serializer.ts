/**
 * Runs tasks one at a time per key (FIFO), different keys in parallel, in one process.
 * The router serialises everything that touches one target through it (a burst to an
 * asleep peer wakes it once, the rest see it live); the supervisor serialises wakes and
 * evaluations of one identity (the first launches, the rest take the live fast path).
 */
export interface KeyedSerializer {
  /** Starts `task` once every earlier task of `key` settled; resolves or rejects as it does. */
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** True while a task of `key` runs or waits. */
  busy(key: string): boolean;
  /** Keys with a running or waiting task (for tests and health). */
  busyKeys(): string[];
}

export function createKeyedSerializer(): KeyedSerializer {
  // per key, a promise that settles (never rejects) when the last queued task settled
  const tails = new Map<string, Promise<void>>();
  const settled = () => undefined;
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const prev = tails.get(key) ?? Promise.resolve();
      // prev never rejects, so a failed predecessor cannot fail its successor; the arrow
      // turns a task that throws synchronously into a rejection instead of a throw here
      const result = prev.then(() => task());
      const tail: Promise<void> = result.then(settled, settled).then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      tails.set(key, tail);
      return result;
    },
    busy: (key) => tails.has(key),
    busyKeys: () => [...tails.keys()],
  };
}
