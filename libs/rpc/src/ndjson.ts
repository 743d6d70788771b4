/** Splits a utf8 stream into lines; `push` returns the complete lines seen so far. */
export class LineSplitter {
  private rest = '';

  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    return lines.filter((l) => l.length > 0);
  }
}

/** One frame on the wire: a request, a stop, or a response (tRPC's own envelope plus `id`). */
export type RequestFrame =
  | { id: number; type: 'query' | 'mutation' | 'subscription'; path: string; input?: unknown }
  | { id: number; type: 'stop' };

export type ResponseFrame =
  | { id: number; result: { type: 'data'; data: unknown } | { type: 'started' } | { type: 'stopped' } }
  | { id: number; error: unknown };
