import fs from 'node:fs';
import path from 'node:path';
import { IapeerError, realDefaultRoot, type Env, type IapeerPaths } from '@iapeer/core';
import { DIR_MODE, ensureDir } from './atomic-write';

/**
 * The global tree of docs/behaviour.md §3.2, every directory 0700. Idempotent. Directories only:
 * each file in them has one writer (docs/architecture.md, File ownership), so the
 * registry makes its own lock file.
 */
export function ensureGlobalScaffold(paths: IapeerPaths): void {
  for (const dir of [
    paths.root,
    paths.pluginsDir,
    path.join(paths.pluginsDir, 'iap'),
    paths.stateDir,
    paths.serviceStateDir,
    paths.serviceSockDir,
    paths.lifecycleDir,
    paths.logsDir,
    paths.eventLogDir,
    paths.paneLogDir,
    paths.cacheDir,
    paths.runtimesDir,
    paths.peersDir,
  ]) {
    ensureDir(dir);
  }
}

/** `<cwd>/.iapeer/` with its sub-folders (§3.3). */
export function ensureLocalScaffold(cwd: string): string {
  const local = path.join(cwd, '.iapeer');
  for (const sub of ['', 'fragments', 'plugins/iap', 'runtimes', 'state', 'logs', 'cache']) ensureDir(path.join(local, sub));
  return local;
}

/**
 * Services refuse a state directory that others can write (a peer could plant a socket
 * or marker). Returns nothing; throws STATE_DIR_INSECURE with the chmod that fixes it.
 */
export function assertPrivateDir(dir: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    return; // created 0700 by the scaffold right after
  }
  if ((st.mode & 0o022) !== 0) {
    throw new IapeerError(
      'STATE_DIR_INSECURE',
      `${dir} is group- or world-writable (mode ${(st.mode & 0o777).toString(8)}); run \`chmod 700 ${dir}\` and start again`,
      { data: { path: dir, mode: st.mode & 0o777 } },
    );
  }
}

/**
 * The directories whose privacy the trust model rests on: the root, the state tree, the
 * service sockets and the lifecycle dir (markers and session-token hashes). Services and
 * `iapeer up` refuse to start when any of them is group- or world-writable.
 */
export function assertPrivateStateDirs(paths: IapeerPaths): void {
  for (const dir of [paths.root, paths.stateDir, paths.serviceStateDir, paths.serviceSockDir, paths.lifecycleDir]) assertPrivateDir(dir);
}

/** IAPEER_TEST_SANDBOX=1 must never write the real ~/.iapeer (recomputed from HOME, ignoring IAPEER_ROOT). */
export function assertSandboxAllows(paths: IapeerPaths, env: Env): void {
  if (env.IAPEER_TEST_SANDBOX !== '1') return;
  if (path.resolve(paths.root) === path.resolve(realDefaultRoot(env))) {
    throw new IapeerError('SANDBOX_REFUSED', `IAPEER_TEST_SANDBOX=1 refuses to write the real ${paths.root}; set IAPEER_ROOT to a temporary directory`);
  }
}

export { DIR_MODE };
