import path from 'node:path';
import { resolveHome } from '@iapeer/core';
import { canonicalCwd, listJsonlRecursive, readFirstLine, type TranscriptFile } from '../shared/transcript-files';

type Env = Record<string, string | undefined>;

/** Codex's session rollouts: `$CODEX_HOME/sessions`, else `$HOME/.codex/sessions` (YYYY/MM/DD/rollout-*.jsonl). */
export function codexSessionsDir(env: Env): string {
  return env.CODEX_HOME ? path.join(env.CODEX_HOME, 'sessions') : path.join(resolveHome(env), '.codex', 'sessions');
}

export interface CodexSession extends TranscriptFile {
  /** `session_meta.payload.id`. */
  id: string;
}

export interface CodexSessionIndex {
  /** The newest rollout whose first-line `session_meta.payload.cwd` is this cwd, or null. */
  newestFor(cwd: string, env: Env): CodexSession | null;
}

interface SessionMeta {
  id: string;
  cwd: string;
}

/**
 * Finds a cwd's codex sessions. A rollout's first line never changes, so what it says
 * is cached per path: the delivery fallback polls this every 100 ms (§6.3 step 4) and
 * must not re-read kilobytes of base prompt each time.
 */
export function createCodexSessionIndex(): CodexSessionIndex {
  const metaByPath = new Map<string, SessionMeta | null>();
  const metaOf = (file: string): SessionMeta | null => {
    const cached = metaByPath.get(file);
    if (cached !== undefined) return cached;
    const line = readFirstLine(file);
    // A rollout still being created has no complete first line yet: ask again next time.
    if (line === null) return null;
    const meta = parseSessionMeta(line);
    metaByPath.set(file, meta);
    return meta;
  };
  return {
    newestFor(cwd, env) {
      const want = canonicalCwd(cwd);
      let best: CodexSession | null = null;
      for (const file of listJsonlRecursive(codexSessionsDir(env))) {
        if (best && file.mtimeMs <= best.mtimeMs) continue;
        const meta = metaOf(file.path);
        if (meta && canonicalCwd(meta.cwd) === want) best = { ...file, id: meta.id };
      }
      return best;
    },
  };
}

/** `{"type":"session_meta","payload":{"id":…,"cwd":…}}` → {id, cwd}; anything else → null. */
export function parseSessionMeta(line: string | null): SessionMeta | null {
  if (!line) return null;
  try {
    const rec = JSON.parse(line) as { type?: unknown; payload?: { id?: unknown; cwd?: unknown } };
    if (rec.type !== 'session_meta' || typeof rec.payload?.cwd !== 'string') return null;
    return { cwd: rec.payload.cwd, id: typeof rec.payload.id === 'string' ? rec.payload.id : '' };
  } catch {
    // Not JSON (a foreign or truncated file): not a session of ours.
    return null;
  }
}
