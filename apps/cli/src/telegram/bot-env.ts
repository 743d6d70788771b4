import fs from 'node:fs';
import path from 'node:path';
import type { IapeerPaths } from '@iapeer/core';
import { ensureDir, writeFileAtomic } from '@iapeer/storage';

/** `<root>/runtimes/telegram/bots/<alias>/.env`: a bot's credentials (docs/behaviour.md §3.2). */
export function botEnvPath(paths: IapeerPaths, alias: string): string {
  return path.join(paths.runtimesDir, 'telegram', 'bots', alias, '.env');
}

/** `KEY=VALUE` lines (blank lines and `#` comments ignored, surrounding quotes stripped); a missing file is empty. */
export function readBotEnv(file: string): Map<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw err;
  }
  const vars = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim().replace(/^export\s+/, '');
    const eq = line.indexOf('=');
    if (line === '' || line.startsWith('#') || eq <= 0) continue;
    const value = line.slice(eq + 1).trim();
    vars.set(line.slice(0, eq).trim(), /^(['"]).*\1$/.test(value) ? value.slice(1, -1) : value);
  }
  return vars;
}

/**
 * Sets keys in the bot's `.env`, keeping every other key (the telegram runtime adds its own,
 * e.g. TELEGRAM_BOT_USERNAME). Written atomically, 0600 in a 0700 directory: it holds a secret.
 */
export function writeBotEnv(file: string, set: Record<string, string>): void {
  const vars = readBotEnv(file);
  for (const [k, v] of Object.entries(set)) vars.set(k, v);
  ensureDir(path.dirname(file));
  writeFileAtomic(file, [...vars].map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 });
}
