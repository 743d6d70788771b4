import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { IAPEER_VERSION } from '@iapeer/core';
import type { CliIO } from './io';
import { registerUp } from './commands/up';
import { registerDown } from './commands/down';
import { registerStatus } from './commands/status';
import { registerService } from './commands/service';
import { registerEnable } from './commands/enable';
import { registerSend } from './commands/send';
import { registerCompact, registerInterrupt } from './commands/control';
import { registerInit } from './commands/init';
import { registerCreate } from './commands/create';
import { registerList } from './commands/list';
import { registerRemove } from './commands/remove';
import { registerVerify } from './commands/verify';
import { registerStart, registerStop, registerRefresh } from './commands/stop-start';
import { registerNew } from './commands/new';
import { registerSelfFresh } from './commands/self-fresh';
import { registerSelfDone } from './commands/self-done';
import { registerAttach } from './commands/attach';
import { registerFolderLaunch } from './commands/folder-launch';
import { registerDemo } from './commands/demo';
import { registerLogs } from './commands/logs';
import { registerRunInfra } from './commands/run-infra';
import { registerConsole } from './commands/console';


/** Every verb registers itself here; each lives in commands/<verb>.ts. */
const REGISTRARS: ((program: Command, io: CliIO) => void)[] = [
  registerUp,
  registerDown,
  registerStatus,
  registerService,
  registerEnable,
  registerSend,
  registerInterrupt,
  registerCompact,
  registerInit,
  registerCreate,
  registerList,
  registerRemove,
  registerVerify,
  registerStop,
  registerStart,
  registerNew,
  registerRefresh,
  registerSelfFresh,
  registerSelfDone,
  registerAttach,
  registerDemo,
  registerLogs,
  registerRunInfra,
  registerConsole,
  // last: the root action `iapeer <runtime>` (folder launch) catches what no verb matched
  registerFolderLaunch,
];

export function createProgram(io: CliIO): Command {
  const program = new Command('iapeer')
    .description('iapeer keeps a team of AI agents on one host: named peers in tmux that message each other by name')
    .version(IAPEER_VERSION, '-V, --version')
    .option('--root <dir>', 'the iapeer root (default: $IAPEER_ROOT or ~/.iapeer)')
    .showHelpAfterError('(run `iapeer --help` for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })
    .hook('preAction', (cmd) => {
      const root = cmd.opts<{ root?: string }>().root;
      if (root) io.env.IAPEER_ROOT = path.resolve(io.cwd, root);
    });
  for (const register of REGISTRARS) register(program, io);
  return program;
}

export { CommanderError };
