export { router, procedure, createCallerFactory } from './trpc';
export { HealthSchema, healthProcedure, type Health, type HealthHandler } from './health';
export { createLogdRouter, type LogdHandlers, type LogdRouter } from './logd';
export { createRegistryRouter, type RegistryHandlers, type RegistryRouter } from './registry';
export {
  createSupervisorRouter, type SupervisorHandlers, type SupervisorRouter,
  WakeInputSchema, WakeResultSchema, NewInputSchema, TargetSelectorSchema, StopResultSchema, StartResultSchema, RefreshResultSchema,
  MarkFreshInputSchema, MarkFreshResultSchema, NoteTopicInputSchema, NoteTopicResultSchema, TickInputSchema, TickResultSchema,
  SuperviseOutcomeSchema, StateInputSchema, StateResultSchema, IdentityStateSchema, LaunchPhaseSchema, WakePhasesInputSchema, PhaseEventSchema,
  MAX_WAKE_TASK_LEN, type WakeInput, type WakeResultWire, type TargetSelectorInput, type PhaseEvent,
} from './supervisor';
export { createRouterServiceRouter, type RouterServiceHandlers, type RouterServiceRouter } from './router';
