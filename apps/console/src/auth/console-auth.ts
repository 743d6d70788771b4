/**
 * The console's logins: `iapeer console` asks (over the 0600 socket) for a one-time
 * token; the browser trades it at /login for a session id kept in an HttpOnly cookie.
 * Both live in memory only: a console restart logs everyone out, and nothing is
 * written to disk that a backup or another user could read.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface AuthClock {
  now(): number;
}

export interface ConsoleAuthOptions {
  clock?: AuthClock;
  /** How long an unused login token stays valid. @default 5 minutes */
  tokenTtlMs?: number;
  /** How long a browser session lasts after login. @default 12 hours */
  sessionTtlMs?: number;
  /** Random URL-safe text of `bytes` bytes (tests inject a deterministic one). */
  random?: (bytes: number) => string;
}

export type ExchangeVerdict = { ok: true; session: string; expiresAt: number; readOnly: boolean } | { ok: false; reason: string };

/** What a login grants: a read-only login sees everything and may not act. */
export interface Grant {
  expiresAt: number;
  readOnly: boolean;
}

export const TOKEN_TTL_MS = 5 * 60_000;
export const SESSION_TTL_MS = 12 * 3600_000;

/** Keys are hashes: a lookup's timing says nothing about the secret itself. */
const digest = (secret: string) => createHash('sha256').update(secret).digest('hex');

export class ConsoleAuth {
  private readonly tokens = new Map<string, Grant>();
  private readonly sessions = new Map<string, Grant>();
  private readonly clock: AuthClock;
  private readonly tokenTtlMs: number;
  private readonly sessionTtlMs: number;
  private readonly random: (bytes: number) => string;

  constructor(opts: ConsoleAuthOptions = {}) {
    this.clock = opts.clock ?? { now: () => Date.now() };
    this.tokenTtlMs = opts.tokenTtlMs ?? TOKEN_TTL_MS;
    this.sessionTtlMs = opts.sessionTtlMs ?? SESSION_TTL_MS;
    this.random = opts.random ?? ((n) => randomBytes(n).toString('base64url'));
  }

  /** A fresh one-time login token. */
  issueToken(opts: { readOnly?: boolean } = {}): { token: string; expiresAt: number } {
    this.sweep();
    const token = this.random(24);
    const expiresAt = this.clock.now() + this.tokenTtlMs;
    this.tokens.set(digest(token), { expiresAt, readOnly: opts.readOnly === true });
    return { token, expiresAt };
  }

  /** Trades a token for a session; the token is spent whether or not it was still valid. */
  exchange(token: string | null | undefined): ExchangeVerdict {
    if (!token) return { ok: false, reason: 'no login token in the URL' };
    const key = digest(token);
    const grant = this.tokens.get(key);
    this.tokens.delete(key);
    if (grant === undefined) return { ok: false, reason: 'this login token is unknown or was already used' };
    if (grant.expiresAt < this.clock.now()) return { ok: false, reason: 'this login token expired' };
    const session = this.random(32);
    const sessionExpiresAt = this.clock.now() + this.sessionTtlMs;
    this.sessions.set(digest(session), { expiresAt: sessionExpiresAt, readOnly: grant.readOnly });
    return { ok: true, session, expiresAt: sessionExpiresAt, readOnly: grant.readOnly };
  }

  /** The grant of a session id this console issued and that has not expired. */
  session(session: string | undefined): Grant | undefined {
    if (!session) return undefined;
    const grant = this.sessions.get(digest(session));
    if (grant === undefined) return undefined;
    if (grant.expiresAt < this.clock.now()) {
      this.sessions.delete(digest(session));
      return undefined;
    }
    return grant;
  }

  /** True for a session id this console issued that has not expired. */
  hasSession(session: string | undefined): boolean {
    return this.session(session) !== undefined;
  }

  get sessionTtl(): number {
    return this.sessionTtlMs;
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [k, g] of this.tokens) if (g.expiresAt < now) this.tokens.delete(k);
    for (const [k, g] of this.sessions) if (g.expiresAt < now) this.sessions.delete(k);
  }
}
