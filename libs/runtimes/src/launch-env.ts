import fs from 'node:fs';
import path from 'node:path';
import { IapeerError } from '@iapeer/core';

/**
 * A peer's per-runtime launch settings (docs/behaviour.md §3.3): extra environment for the
 * session, and `PEER_START_ARGS` appended to the runtime's argv.
 */
export interface LaunchEnv {
  /** The file read (whether or not it exists). */
  file: string;
  /** Every key but PEER_START_ARGS, in file order (a repeated key: the last one wins). */
  env: Record<string, string>;
  /** PEER_START_ARGS split on whitespace; [] when unset. */
  startArgs: string[];
}

export const START_ARGS_KEY = 'PEER_START_ARGS';

/**
 * Keys iapeer sets itself for every session: a launch.env value would be silently replaced
 * (the identity ABI is written last, §2.1) or would break the session, so the line is refused
 * rather than ignored.
 */
const REFUSED_KEYS: Record<string, string> = {
  PEER_PERSONALITY: 'the identity ABI is set by iapeer for every session',
  PEER_RUNTIME: 'the identity ABI is set by iapeer for every session',
  PEER_IDENTITY: 'the identity ABI is set by iapeer for every session',
  IAPEER_PEER_TOKEN: 'the session token is minted by iapeer for every session',
  TMUX: 'tmux sets it for the session',
  TMUX_PANE: 'tmux sets it for the session',
};

const KEY_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `<cwd>/.iapeer/runtimes/<runtime>/launch.env`. */
export function launchEnvPath(cwd: string, runtime: string): string {
  return path.join(cwd, '.iapeer', 'runtimes', runtime, 'launch.env');
}

/**
 * Parses launch.env text: bash-like `KEY=VALUE` lines, an optional `export ` prefix,
 * matching surrounding quotes (`"…"` or `'…'`) stripped, blank lines and `#` comments
 * ignored. Anything else is refused, naming the file and the line (never echoing the
 * value: the file may hold a secret), and nothing of the file is used.
 */
export function parseLaunchEnv(text: string, file: string): LaunchEnv {
  const env: Record<string, string> = {};
  let startArgs: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const bad = (why: string) => invalid(file, i + 1, why);
    const body = line.replace(/^export\s+/, '');
    const eq = body.indexOf('=');
    if (eq <= 0) throw bad('expected KEY=VALUE (or export KEY=VALUE)');
    const key = body.slice(0, eq);
    if (!KEY_RE.test(key)) throw bad(`"${key.slice(0, 40)}" is not a variable name (letters, digits and _, not starting with a digit; no spaces around =)`);
    if (key in REFUSED_KEYS) throw bad(`${key} cannot be set in launch.env: ${REFUSED_KEYS[key]}`);
    const value = unquote(body.slice(eq + 1).trim());
    if (value === null) throw bad(`the value of ${key} opens a quote that is not closed at the end of the line`);
    if (key === START_ARGS_KEY) startArgs = value.split(/\s+/).filter(Boolean);
    else env[key] = value;
  }
  return { file, env, startArgs };
}

/** Strips one pair of matching surrounding quotes; null for an opening quote never closed. */
function unquote(raw: string): string | null {
  const q = raw[0];
  if (q !== '"' && q !== "'") return raw;
  if (raw.length >= 2 && raw.endsWith(q)) return raw.slice(1, -1);
  return null;
}

function invalid(file: string, line: number, why: string): IapeerError {
  return new IapeerError('LAUNCH_ENV_INVALID', `${file} line ${line}: ${why}; nothing was launched — fix or remove the line`, { data: { file, line } });
}

/** Reads and parses a peer's launch.env for one runtime; a missing file is empty (§3.3). */
export function readLaunchEnv(cwd: string, runtime: string): LaunchEnv {
  const file = launchEnvPath(cwd, runtime);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { file, env: {}, startArgs: [] };
    throw new IapeerError('LAUNCH_ENV_INVALID', `${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}); nothing was launched`, { data: { file } });
  }
  return parseLaunchEnv(text, file);
}
