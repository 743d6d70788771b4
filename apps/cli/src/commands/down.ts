import type { Command } from 'commander';
import { resolvePaths, SERVICE_NAMES } from '@iapeer/core';
import { CliError } from '../cli-error';
import type { CliIO } from '../io';
import { probeAll } from '../up/health-probe';
import { isAlive, isOurProcess, readKeeper, removeKeeper } from '../up/pidfile';

const STOP_DEADLINE_MS = 20_000;

async function waitGone(pids: number[], deadlineMs: number): Promise<boolean> {
  const deadline = Date.now() + deadlineMs;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}

export function registerDown(program: Command, io: CliIO): void {
  program
    .command('down')
    .description('stop the services that `iapeer up` started')
    .action(async () => {
      const paths = resolvePaths(io.env);
      const rec = readKeeper(paths);
      if (rec && isAlive(rec.pid)) {
        process.kill(rec.pid, 'SIGTERM');
        if (!(await waitGone([rec.pid], STOP_DEADLINE_MS))) throw new CliError(`the keeper (pid ${rec.pid}) did not stop within ${STOP_DEADLINE_MS / 1000}s`);
      } else if (rec) {
        // the keeper itself was killed: stop the children it recorded (checked against pid reuse)
        const orphans = Object.entries(rec.children).filter(([name, pid]) => pid && isOurProcess(pid, `${name}/main.js`)).map(([, pid]) => pid as number);
        for (const pid of orphans) process.kill(pid, 'SIGTERM');
        await waitGone(orphans, STOP_DEADLINE_MS);
        removeKeeper(paths);
      } else {
        const live = (await probeAll(paths, 0)).filter((r) => r.up);
        if (live.length > 0) {
          throw new CliError(
            `${live.map((l) => l.name).join(', ')} on ${paths.root} were not started by \`iapeer up\`; stop them with their service manager (\`iapeer service status\`)`,
          );
        }
        io.out(`iapeer is not up on ${paths.root}`);
        return;
      }
      // each service unlinks its own socket as it stops (a SIGKILLed one's is removed as
      // stale by its next start): sockets are the services' files, not the CLI's
      io.out(`iapeer stopped on ${paths.root} (${SERVICE_NAMES.join(', ')})`);
    });
}
