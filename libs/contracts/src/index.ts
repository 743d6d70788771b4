export { router, procedure, createCallerFactory } from './trpc';
export { HealthSchema, healthProcedure, type Health, type HealthHandler } from './health';
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
export { createRegistryRouter, type RegistryHandlers, type RegistryRouter } from './registry';
export { createSupervisorRouter, type SupervisorHandlers, type SupervisorRouter } from './supervisor';
export { createRouterServiceRouter, type RouterServiceHandlers, type RouterServiceRouter } from './router';
