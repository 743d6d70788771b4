import fs from 'node:fs';
import path from 'node:path';

/** The absolute path of `name` (absolute already, or the first executable match on PATH); undefined when none. */
export function resolveExecutable(name: string, pathVar: string | undefined): string | undefined {
  const executable = (p: string) => {
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return fs.statSync(p).isFile();
    } catch {
      // missing or not executable: not a candidate
      return false;
    }
  };
  if (path.isAbsolute(name)) return executable(name) ? name : undefined;
  if (name.includes('/')) return undefined; // a relative path means nothing to a service manager
  for (const dir of (pathVar ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, name);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}
