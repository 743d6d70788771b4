export type { RuntimeKind, LaunchContext, BootDialog, RuntimeAdapter, LaunchResult, DeliveryResult } from './adapter';
