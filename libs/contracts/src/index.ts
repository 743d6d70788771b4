export { router, procedure, createCallerFactory } from './trpc';
export { HealthSchema, healthProcedure, type Health, type HealthHandler } from './health';
export { createLogdRouter, type LogdHandlers, type LogdRouter } from './logd';
export { createRegistryRouter, type RegistryHandlers, type RegistryRouter } from './registry';
export { createSupervisorRouter, type SupervisorHandlers, type SupervisorRouter } from './supervisor';
export {
  createRouterServiceRouter, SendInputSchema, SendResultSchema, ControlInputSchema, ControlResultSchema, ControlCommandSchema,
  type RouterServiceHandlers, type RouterServiceRouter, type SendInput, type SendResult, type ControlInput, type ControlResult, type ControlCommandName,
} from './router';
