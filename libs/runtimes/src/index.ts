export type { RuntimeKind, LaunchContext, BootDialog, RuntimeAdapter, LaunchResult, DeliveryResult } from './adapter';
export { createClaudeAdapter, buildClaudeArgv, type ClaudeAdapterOptions } from './claude/claude-adapter';
export { CLAUDE_BOOT_DIALOGS, isClaudeInputReady } from './claude/claude-dialogs';
export { claudeConfigDir, claudeProjectSlug, claudeTranscriptDir, newestClaudeTranscript } from './claude/claude-transcripts';
export { createCodexAdapter, buildCodexArgv, buildCodexEnv, type CodexAdapterOptions } from './codex/codex-adapter';
export { CODEX_BOOT_DIALOGS, isCodexInputReady } from './codex/codex-dialogs';
export { codexSessionsDir, createCodexSessionIndex, type CodexSession, type CodexSessionIndex } from './codex/codex-sessions';
export { addCodexMcpServer, PEER_TOKEN_ENV_VAR, type CodexMcpConfigOptions, type CodexMcpConfigEdit } from './codex/mcp-config';
