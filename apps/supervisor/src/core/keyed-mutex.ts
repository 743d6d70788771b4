/**
 * One queue per key: `run(key, fn)` starts fn only after every earlier fn of that key
 * settled. In-process, so 20 concurrent wakes of one identity run one after another
 * (the first launches, the rest take the live fast path).
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = prev.then(() => mine);
    this.tails.set(key, tail);
    await prev;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** True while some fn of this key runs or waits. */
  busy(key: string): boolean {
    return this.tails.has(key);
  }
}
