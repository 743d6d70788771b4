export type { SpawnSpec, GoneClass, PaneObservation, PaneState, PasteOptions, TmuxDriver } from './driver';
export { shellQuote } from './pane-format';
export { createTmuxDriver, type TmuxDriverOptions, type TmuxDriverExtras } from './create-driver';
export { exitSpoolOf, findScriptsDir, PANE_LOG_WRITER, EXIT_RECORD } from './tmux-scripts';
export { ControlParser, unescapeOutput, quoteControlArg, controlLine, type ControlEvent } from './control-parser';
export { ControlConnection, pidAlive, type KnownLiveness } from './control-connection';
export type { ControlFallback, ControlStats } from './control-pool';
export { createExecRunner, escapeTmuxArg, chainArgs, isAbsentError, isServerDeadError, type TmuxRunner, type TmuxFailure } from './run-tmux';
export { tmuxSocketPath, identityOfSocketName, assertSocketPathFits, maxSocketPathBytes } from './socket-path';
