/**
 * The session cookie. Cookies ignore ports, so two roots' consoles on one host
 * (8766 and 8767) would overwrite each other's: the name carries the port.
 */
export const cookieName = (port: number) => `iapeer_console_${port}`;

/** `name=value` pairs of a Cookie header (the first of a repeated name wins). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name && !out.has(name)) out.set(name, value);
  }
  return out;
}

/** HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), whole site. */
export function sessionCookie(port: number, session: string, maxAgeMs: number): string {
  return `${cookieName(port)}=${session}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.floor(maxAgeMs / 1000)}`;
}
