import fs from 'node:fs';
import path from 'node:path';
import type { ActivityProbe, AdapterRegistry } from '../core/ports';

/**
 * The runtime's activity proxy (transcript / manifest glob), else the pane log's mtime
 * (docs/architecture.md "Runtimes"), else null (the tick then falls back to wokeAt).
 */
export function createActivityProbe(adapters: AdapterRegistry, paneLogDir: string, env: Record<string, string | undefined>): ActivityProbe {
  return {
    async lastActivityMs({ identity, runtime, cwd }) {
      const paneLog = path.join(paneLogDir, `${identity}.log`);
      const fromAdapter = adapters.get(runtime)?.lastActivityMs({ cwd, paneLog, env }) ?? null;
      if (fromAdapter !== null) return fromAdapter;
      try {
        return fs.statSync(paneLog).mtimeMs;
      } catch {
        return null; // no pane log yet
      }
    },
  };
}
