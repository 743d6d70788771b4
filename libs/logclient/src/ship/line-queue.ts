/** One line waiting for logd, tagged with the log it belongs to. */
export interface QueuedLine {
  log: string;
  line: string;
}

/**
 * A bounded FIFO of lines. When full, the oldest line goes and is counted against its
 * log, so the next line of that log can say how many were lost (`dropped=N`).
 */
export class LineQueue {
  private items: QueuedLine[] = [];
  private head = 0;
  readonly dropped = new Map<string, number>();
  droppedTotal = 0;

  constructor(private readonly capacity: number) {}

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: QueuedLine): void {
    if (this.length >= this.capacity) {
      const lost = this.items[this.head++];
      this.dropped.set(lost.log, (this.dropped.get(lost.log) ?? 0) + 1);
      this.droppedTotal++;
    }
    this.items.push(item);
    this.compact();
  }

  /**
   * Takes up to `max` lines from the head, and no more than `maxChars` characters of
   * them (at least one line, however long: logd refuses an over-long line on its own).
   */
  take(max: number, maxChars = Infinity): QueuedLine[] {
    let end = Math.min(this.items.length, this.head + max);
    let chars = 0;
    for (let i = this.head; i < end; i++) {
      chars += this.items[i].line.length + 1;
      if (chars > maxChars && i > this.head) {
        end = i;
        break;
      }
    }
    const out = this.items.slice(this.head, end);
    this.head = end;
    this.compact();
    return out;
  }

  private compact(): void {
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
