/**
 * Runs tasks one at a time per key (FIFO), different keys in parallel. The router
 * serialises everything that touches one target through this, so a burst to an
 * asleep peer wakes it once and the rest see it live.
 */
export interface KeyedSerializer {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Keys with a running or waiting task (for tests and health). */
  busyKeys(): string[];
}

export function createKeyedSerializer(): KeyedSerializer {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const prev = tails.get(key) ?? Promise.resolve();
      // a failed predecessor must not fail its successor: chain on settle, not on success
      const result = prev.then(task, task);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    busyKeys: () => [...tails.keys()],
  };
}
