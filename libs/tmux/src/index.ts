export type { SpawnSpec, GoneClass, PaneState, PasteOptions, TmuxDriver } from './driver';
export { createTmuxDriver, shellQuote, type TmuxDriverOptions } from './create-driver';
export { createExecRunner, escapeTmuxArg, chainArgs, isAbsentError, isServerDeadError, type TmuxRunner, type TmuxFailure } from './run-tmux';
export { tmuxSocketPath, identityOfSocketName, assertSocketPathFits, maxSocketPathBytes } from './socket-path';
