import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { activeServiceNames, type IapeerPaths, type ServiceName } from '@iapeer/core';
import { ensureDir } from '@iapeer/storage';
import { Keeper, type KeeperEvent } from './keeper';
import { rotateIfOver } from './keep-small';
import { keeperDir, removeKeeper, writeKeeper } from './pidfile';

/** dist/apps/<svc>/main.js beside this bundle (dist/apps/cli/main.js). */
export function serviceEntry(name: ServiceName): string {
  return path.join(__dirname, '..', name, 'main.js');
}

/**
 * Runs the keeper in this process: spawns the five services, restarts them within the
 * policy, records pids for `down`, and on SIGTERM/SIGINT stops them all and exits 0.
 */
export function runKeeper(paths: IapeerPaths, env: NodeJS.ProcessEnv, onEvent: (e: KeeperEvent) => void = () => undefined): { keeper: Keeper; stop: () => Promise<void> } {
  ensureDir(keeperDir(paths));
  rotateIfOver(path.join(keeperDir(paths), 'keeper.events'));
  const startedAt = new Date().toISOString();
  const record = () => writeKeeper(paths, { pid: process.pid, startedAt, root: paths.root, children: Object.fromEntries(Object.entries(keeper.states()).map(([n, s]) => [n, s.pid])) });
  const keeper = new Keeper({
    spawn(name) {
      // stderr/stdout of a service go to a file beside the pidfile: a crash's stack trace survives
      rotateIfOver(path.join(keeperDir(paths), `${name}.out`));
      const out = fs.openSync(path.join(keeperDir(paths), `${name}.out`), 'a', 0o600);
      const child = spawn(process.execPath, [serviceEntry(name)], { env: { ...env, IAPEER_ROOT: paths.root }, stdio: ['ignore', out, out] });
      fs.closeSync(out);
      return {
        pid: child.pid,
        kill: (sig) => child.kill(sig),
        onExit: (cb) => child.once('exit', cb),
      };
    },
    now: () => Date.now(),
    setTimer(fn, ms) {
      const t = setTimeout(fn, ms);
      return { cancel: () => clearTimeout(t) };
    },
    log(e) {
      fs.appendFileSync(path.join(keeperDir(paths), 'keeper.events'), JSON.stringify({ ts: new Date().toISOString(), ...e }) + '\n', { mode: 0o600 });
      if (e.ev === 'started' || e.ev === 'exited') record();
      onEvent(e);
    },
  });
  keeper.start(activeServiceNames(env));
  record();
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // the services unlink their own sockets as they stop
      await keeper.stop();
      removeKeeper(paths);
    })());
  return { keeper, stop };
}
