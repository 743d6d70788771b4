export { router, procedure, createCallerFactory } from './trpc';
export { HealthSchema, healthProcedure, createHealthRouter, type Health, type HealthHandler, type HealthRouter } from './health';
export {
  createLogdRouter,
  EVENT_LOG_NAMES,
  LOG_NAMES,
  MAX_LOG_LINE,
  MAX_APPEND_LINES,
  MAX_APPEND_TEXT,
  type LogdHandlers,
  type LogdRouter,
  type LogName,
  type EventLogFile,
  type AppendInput,
  type AppendResult,
  type TailInput,
  type TailItem,
  type QueryInput,
  type QueryResult,
} from './logd';
export {
  createRegistryRouter, PeerSchema, CorruptionSchema, ListOutputSchema, GetInputSchema, UpsertInputSchema, UpsertOutputSchema,
  RemoveInputSchema, RemoveOutputSchema, RenameInputSchema, RenameOutputSchema, InitInputSchema, InitOutputSchema,
  DRIFT_KINDS, DriftSchema, VerifyOutputSchema, ReindexInputSchema, ReindexOutputSchema,
  type RegistryHandlers, type RegistryRouter, type Peer, type Corruption, type UpsertInput, type InitInput, type Drift,
} from './registry';
export {
  createSupervisorRouter, type SupervisorHandlers, type SupervisorRouter,
  WakeInputSchema, WakeResultSchema, NewInputSchema, TargetSelectorSchema, StopResultSchema, StartResultSchema, RefreshResultSchema,
  MarkFreshInputSchema, MarkFreshResultSchema, NoteTopicInputSchema, NoteTopicResultSchema, TickInputSchema, TickResultSchema,
  SuperviseOutcomeSchema, StateInputSchema, StateResultSchema, IdentityStateSchema, LaunchPhaseSchema, WakePhasesInputSchema, PhaseEventSchema,
  PurgeInputSchema, PurgeResultSchema, AttachEventInputSchema, AttachEventResultSchema, EnqueueInputSchema, EnqueueResultSchema, ArmInputSchema, ArmResultSchema, DrainedSchema, MAX_WAKE_TASK_LEN, type EnqueueInput, type EnqueueResult, type ArmResult, type PurgeResult, type WakeInput, type WakeResultWire, type TargetSelectorInput, type PhaseEvent,
} from './supervisor';
export {
  createRouterServiceRouter, SendInputSchema, SendResultSchema, QueuedBySchema, type QueuedBy, ControlInputSchema, ControlResultSchema, ControlCommandSchema,
  AwaitQueuedInputSchema, AwaitQueuedResultSchema, type AwaitQueuedInput, type AwaitQueuedResult,
  type RouterServiceHandlers, type RouterServiceRouter, type SendInput, type SendResult, type ControlInput, type ControlResult, type ControlCommandName,
} from './router';
export { PeerProfileSchema, PEER_PROFILE_RELPATH, type PeerProfile } from './peer-profile';
export {
  ACTIVITY_STATES, ActivityStateSchema, ActivityReadingSchema, ActivityInputSchema, ActivityChangesInputSchema,
  type ActivityState, type ActivityReading,
} from './activity';
export { FleetDeliverInputSchema, type FleetDeliverInput } from './router';
export {
  createBridgeRouter, FleetPeerSchema, RosterEntrySchema, FleetMessageSchema, FleetReplySchema, ForwardInputSchema, FleetHostSchema, RosterOutputSchema,
  type BridgeHandlers, type BridgeRouter, type FleetPeer, type RosterEntry, type FleetMessage, type FleetReply, type ForwardInput, type FleetHost,
} from './bridge';
export {
  createConsoleRouter, ConsoleLoginResultSchema, ConsoleLoginInputSchema, FleetStateSchema, FleetIdentitySchema, FleetRowSchema, ServiceStatusSchema, AttentionKindSchema,
  AttentionItemSchema, FleetSnapshotSchema, DecisionSchema, PanePreviewSchema, ConsoleSessionSchema,
  type ConsoleHandlers, type ConsoleRouter, type ConsoleLoginResult, type FleetState, type FleetIdentity, type FleetRow, type AttentionItem,
  type FleetSnapshot, type Decision, type PanePreview, type ConsoleSession,
} from './console';
