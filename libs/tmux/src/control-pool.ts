import fs from 'node:fs';
import { ControlConnection, type ControlConnectionOptions } from './control-connection';

/** A call that could not use the control connection and ran as a spawned tmux instead. */
export interface ControlFallback {
  identity: string;
  op: string;
  reason: string;
}

const ABSENT = /no sessions|can't find session|no server running|error connecting to|connection refused|server exited unexpectedly/i;

export interface ControlStats {
  /** Connections opened since the driver was made. */
  opened: number;
  /** Connections open now. */
  open: number;
  /** Calls that fell back to spawning tmux because a connection broke or would not open. */
  fallbacks: number;
}

/**
 * The driver's control connections, one per identity (so one per tmux server), opened
 * on first use and forgotten once closed; the next call after a close re-opens. A call
 * that cannot get one while the server's socket is there (the attach failed, or the
 * connection broke under a call) runs as a spawned tmux instead: counted in `stats` and
 * reported through `onFallback`.
 */
export class ControlPool {
  private readonly conns = new Map<string, ControlConnection>();
  readonly stats: ControlStats = { opened: 0, open: 0, fallbacks: 0 };

  constructor(
    private readonly make: (identity: string) => Omit<ControlConnectionOptions, 'identity'>,
    private readonly onFallback: (f: ControlFallback) => void,
  ) {}

  /** The open connection of an identity, without opening one. */
  peek(identity: string): ControlConnection | null {
    const c = this.conns.get(identity);
    return c && c.state === 'open' ? c : null;
  }

  /**
   * The identity's open connection, opening it when needed; null when none can be had
   * (no socket: nothing to attach to; or the attach failed, which is counted), and the
   * caller takes the spawn path.
   */
  async get(identity: string, op: string): Promise<ControlConnection | null> {
    let conn = this.conns.get(identity);
    if (!conn || conn.state === 'closed') {
      const opts = this.make(identity);
      if (!fs.existsSync(opts.socket)) return null;
      conn = new ControlConnection({ ...opts, identity });
      this.track(identity, conn);
    }
    try {
      await conn.ready;
      if (conn.state === 'open') return conn;
      this.noteFailedOpen(identity, op, conn.closeReason);
    } catch (err) {
      this.noteFailedOpen(identity, op, (err as Error).message);
    }
    return null;
  }

  private track(identity: string, conn: ControlConnection): void {
    this.conns.set(identity, conn);
    conn.ready.then(
      () => {
        this.stats.opened++;
        this.stats.open++;
      },
      () => undefined,
    );
    void conn.closed.then(() => {
      if (conn.info) this.stats.open--;
      if (this.conns.get(identity) === conn) this.conns.delete(identity);
    });
  }

  /** No session (or server) to attach to is an answer, not a fallback; anything else is counted. */
  private noteFailedOpen(identity: string, op: string, why: string): void {
    if (ABSENT.test(why)) return;
    this.fallback(identity, op, `control connection did not open: ${why}`);
  }

  /** Records a call that had to spawn tmux although a connection was expected. */
  fallback(identity: string, op: string, reason: string): void {
    this.stats.fallbacks++;
    this.onFallback({ identity, op, reason });
  }

  /** Closes the identity's connection (before a kill). */
  async close(identity: string): Promise<void> {
    const c = this.conns.get(identity);
    if (!c) return;
    this.conns.delete(identity);
    await c.close();
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.conns.keys()].map((id) => this.close(id)));
  }
}
