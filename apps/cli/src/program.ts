import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { IAPEER_VERSION } from '@iapeer/core';
import { errorLine } from './cli-error';
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
import { registerVersion } from './commands/version';
import { registerAddRuntime, registerDefaultRuntime } from './commands/switch-runtime';
import { registerConnect } from './commands/connect';
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
  registerVersion,
  registerAddRuntime,
  registerDefaultRuntime,
  registerConnect,
  registerConsole,
  // last: the root action `iapeer <runtime>` (folder launch) catches what no verb matched
  registerFolderLaunch,
];

/** `service install`, `connect telegram`: a command's path below the root. */
export function verbPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Every command in the tree (the root first), for settings each one must carry. */
export function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(allCommands)];
}

/**
 * The program of every verb. `onVerb` learns which verb is about to run (run-cli prints a
 * failure under it); commander's own usage errors get the same `iapeer <verb>: ` prefix
 * through each command's error output.
 */
export function createProgram(io: CliIO, onVerb: (verb: string | undefined) => void = () => undefined): Command {
  const program = new Command('iapeer')
    .description('iapeer keeps a team of AI agents on one host: named peers in tmux that message each other by name')
    .version(IAPEER_VERSION, '-V, --version')
    .option('--root <dir>', 'the iapeer root (default: $IAPEER_ROOT or ~/.iapeer)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })
    .hook('preAction', (cmd, action) => {
      // the folder launch (the root's own action) is named by its runtime word: `iapeer claude: …`
      onVerb(action === cmd ? (action.args[0] as string | undefined) : verbPath(action));
      const root = cmd.opts<{ root?: string }>().root;
      if (root) io.env.IAPEER_ROOT = path.resolve(io.cwd, root);
    });
  for (const register of REGISTRARS) register(program, io);
  for (const cmd of allCommands(program)) {
    const verb = cmd === program ? undefined : verbPath(cmd);
    cmd.configureOutput({ outputError: (str, write) => write(errorLine(verb, str.replace(/^error: /, ''))) });
    cmd.showHelpAfterError(`(run \`iapeer${verb ? ` ${verb}` : ''} --help\` for usage)`);
  }
  return program;
}

export { CommanderError };
