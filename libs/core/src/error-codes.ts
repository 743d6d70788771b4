/**
 * The one registry of iapeer error codes. Every code has a row in docs/errors.md
 * (a test keeps the two in sync). Codes are never reused once retired.
 * `wire` is the tRPC code a service answers with when the error crosses a socket.
 */
export const ERROR_CODES = {
  INVALID_INPUT: { wire: 'BAD_REQUEST', description: 'A value failed validation.', solve: 'Fix the value named in the message and retry.' },
  INVALID_PERSONALITY: { wire: 'BAD_REQUEST', description: 'A peer name breaks ^[a-z][a-z0-9-]{0,31}$.', solve: 'Use a lowercase name of at most 32 characters, or create peer-profile.json explicitly.' },
  INVALID_RUNTIME: { wire: 'BAD_REQUEST', description: 'A runtime name breaks ^[a-z][a-z0-9]{0,31}$.', solve: 'Use a runtime such as claude, codex or a manifest runtime name.' },
  INVALID_INTELLIGENCE: { wire: 'BAD_REQUEST', description: 'An intelligence value is not artificial, natural or absent.', solve: 'Pass one of artificial, natural, absent.' },
  PERSONALITY_TAKEN: { wire: 'CONFLICT', description: 'The name is owned by a peer in another folder.', solve: 'Pick another folder name, or remove the other peer first.' },
  PEER_NOT_FOUND: { wire: 'NOT_FOUND', description: 'No peer of that name is registered.', solve: 'Check `iapeer list`, or create it with `iapeer init`/`iapeer create`.' },
  PEER_STILL_REGISTERED: { wire: 'PRECONDITION_FAILED', description: 'The supervisor purges the sessions and state of an unregistered peer only.', solve: 'Unregister it first: `iapeer remove <peer>` does both, in that order.' },
  RUNTIME_NOT_DECLARED: { wire: 'BAD_REQUEST', description: 'The peer does not declare that runtime.', solve: 'Use one of the peer\'s runtimes (`iapeer list`).' },
  REGISTRY_CORRUPT: { wire: 'PRECONDITION_FAILED', description: 'peers-profiles.json cannot be parsed or validated; writes are refused.', solve: 'Restore the file from a backup, or rebuild it from the peer profiles with `iapeer verify --fix`.' },
  REGISTRY_WRITE_FORBIDDEN: { wire: 'FORBIDDEN', description: 'Something other than the registry tried to write peers-profiles.json.', solve: 'Go through the registry service (upsert/remove/rename).' },
  SANDBOX_REFUSED: { wire: 'FORBIDDEN', description: 'IAPEER_TEST_SANDBOX=1 forbids touching the real ~/.iapeer or host service manager.', solve: 'Point IAPEER_ROOT at a temporary directory.' },
  STATE_DIR_INSECURE: { wire: 'PRECONDITION_FAILED', description: 'A state directory is group- or world-writable.', solve: 'chmod 700 the directory named in the message.' },
  SERVICE_UNAVAILABLE: { wire: 'SERVICE_UNAVAILABLE', description: 'A service socket does not answer.', solve: 'Start the services with `iapeer up` (or `iapeer service install`).' },
  SERVICE_ALREADY_RUNNING: { wire: 'CONFLICT', description: 'Another process already listens on the service socket.', solve: 'Stop it first (`iapeer down`) or use another IAPEER_ROOT.' },
  BAD_FRAME: { wire: 'BAD_REQUEST', description: 'A frame on a service socket was not the rpc protocol (not JSON, a wrong shape) or was over the frame limit (8 Mi characters for a call, 64 Mi for an answer); the connection that carried it was closed.', solve: 'A call over the limit: send less per call (split it). An answer: something spoke garbage on the service socket; check `iapeer status` and the service log.' },
  SERVICE_TIMEOUT: { wire: 'TIMEOUT', description: 'A call to a service did not finish in time.', solve: 'Check `iapeer status` and the service log (`iapeer logs <service>`).' },
  TMUX_FAILED: { wire: 'INTERNAL_SERVER_ERROR', description: 'A tmux command failed.', solve: 'Read tmux\'s stderr in the message; check that tmux is installed.' },
  TMUX_SOCKET_PATH_TOO_LONG: { wire: 'BAD_REQUEST', description: 'A tmux socket path would exceed the Unix socket limit (~107 bytes on Linux, 104 on macOS).', solve: 'Set IAPEER_SOCK_DIR (or IAPEER_ROOT) to a shorter directory, e.g. /tmp/iap.' },
  SESSION_NOT_LIVE: { wire: 'PRECONDITION_FAILED', description: 'The peer has no live session.', solve: 'Wake it (`iapeer send`, `iapeer attach`) or start it.' },
  DELIVERY_NOT_CONFIRMED: { wire: 'INTERNAL_SERVER_ERROR', description: 'The message was pasted but its submission was never confirmed: it was NOT delivered.', solve: 'Retry the send with the same idempotency key; inspect the pane with `iapeer attach`.' },
  NEVER_BECAME_READY: { wire: 'INTERNAL_SERVER_ERROR', description: 'A launched agent never showed its input prompt before the boot deadline.', solve: 'Check the pane log under logs/lifecycle/ and the runtime\'s readyPattern.' },
  RUNTIME_UNAVAILABLE: { wire: 'PRECONDITION_FAILED', description: 'The runtime has no adapter (unknown, or its manifest is invalid).', solve: 'Fix runtimes/<name>/runtime.json (the message names the field) or install the runtime.' },
  CONTROL_UNSUPPORTED: { wire: 'BAD_REQUEST', description: 'The runtime does not support that control command (router runtimes have none).', solve: 'Send interrupt/compact only to TUI peers (claude, codex, custom tui runtimes).' },
  ENVELOPE_INVALID: { wire: 'BAD_REQUEST', description: 'A text is not a well-formed IAP envelope (missing <iap …>, a from-attribute or the message).', solve: 'Build envelopes with encodeEnvelope from @iapeer/codec.' },
  PEER_WAITING: { wire: 'PRECONDITION_FAILED', description: 'The peer is showing a dialog, approval or question that a paste would answer, so the message was not pasted.', solve: 'Answer the dialog (`iapeer attach <peer>`), then send again.' },
  PEER_STOPPED: { wire: 'PRECONDITION_FAILED', description: 'The peer was stopped by an operator.', solve: 'Run `iapeer start <peer>`.' },
  CRASH_LOOP: { wire: 'PRECONDITION_FAILED', description: 'The crash-loop guard left the peer asleep.', solve: 'Look at the pane log, then `iapeer start <peer>` or `iapeer new <peer>`.' },
  LAUNCHD_MANAGED: { wire: 'PRECONDITION_FAILED', description: 'The peer is held by the host service manager; the supervisor never touches it.', solve: 'Manage it through `iapeer stop/start` (service manager) instead.' },
  FOREIGN_SERVICE_FILE: { wire: 'CONFLICT', description: 'A plist or unit at our label is not ours (no sentinel).', solve: 'Move the foreign file away; iapeer never overwrites it.' },
  NOTHING_TO_RESUME: { wire: 'PRECONDITION_FAILED', description: 'An attach (or another must-resume wake) found no earlier conversation to continue; iapeer never falls back to a silent fresh start.', solve: 'Start it fresh with `iapeer <runtime>` in its folder or `iapeer new <peer>`.' },
  WAKE_FAILED: { wire: 'INTERNAL_SERVER_ERROR', description: 'A wake could not bring the peer up.', solve: 'Read the reason; check the pane log and `iapeer logs lifecycle --peer <p>`.' },
  SEND_REJECTED: { wire: 'BAD_REQUEST', description: 'A send was refused before any side effect (limits, self-send, unknown target).', solve: 'Fix the input named in the message.' },
  SEND_POLICY_REFUSED: { wire: 'FORBIDDEN', description: 'A send broke a routing policy (the telegram sender guard): the sender has no face on that channel.', solve: 'Give the sender a telegram face (`iapeer connect telegram <peer>`) or send on another runtime.' },
  EPHEMERAL_QUEUE_FAILED: { wire: 'INTERNAL_SERVER_ERROR', description: 'A message for an ephemeral worker could not be written to its queue: it was NOT queued.', solve: 'Check the space and permissions of state/lifecycle/ (the message names the file) and retry the send.' },
  TARGET_AMBIGUOUS: { wire: 'CONFLICT', description: 'The target is live in several runtimes and none was named.', solve: 'Pass the runtime (`runtime` in send_to_peer, `--runtime` on the CLI).' },
  IDEMPOTENCY_KEY_REUSED: { wire: 'CONFLICT', description: 'An idempotency key was reused within 10 minutes for a different send.', solve: 'Use a fresh key for a different message; reuse a key only to retry the very same send.' },
  CALLER_UNKNOWN: { wire: 'UNAUTHORIZED', description: 'The MCP caller identity is missing, malformed or not registered.', solve: 'Send the X-IAPeer-Identity header of a registered peer (see `.mcp.json`).' },
  CALLER_TOKEN_INVALID: { wire: 'UNAUTHORIZED', description: 'The per-session token is missing, wrong or stale.', solve: 'Call from inside the peer\'s own live session (IAPEER_PEER_TOKEN).' },
  PORT_IN_USE: { wire: 'CONFLICT', description: 'The MCP port (IAPEER_PORT, default 8765) or the console port (IAPEER_CONSOLE_PORT, default 8766) is held by another process, often a service of another iapeer root.', solve: 'Start this root on a free port (`IAPEER_PORT=8767 iapeer up`, `IAPEER_CONSOLE_PORT=8768 iapeer up`), or stop the holder the message names (`IAPEER_ROOT=<its root> iapeer down`).' },
  CONSOLE_READ_ONLY: { wire: 'FORBIDDEN', description: 'The console runs read-only (IAPEER_CONSOLE_READ_ONLY=1): its page shows the fleet but refuses actions.', solve: 'Use the CLI (`iapeer send`, `iapeer stop`…), or restart the console without IAPEER_CONSOLE_READ_ONLY.' },
  LOG_UNKNOWN: { wire: 'BAD_REQUEST', description: 'No log of that name exists.', solve: 'Use lifecycle, delivery or a service name.' },
  INTERNAL: { wire: 'INTERNAL_SERVER_ERROR', description: 'An unexpected failure.', solve: 'Report it with the service log (`iapeer logs <service>`).' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
export type WireCode = (typeof ERROR_CODES)[ErrorCode]['wire'];
