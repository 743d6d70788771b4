import { ALL_SERVICE_NAMES } from './paths';

/** The decision logs, written in logfmt (docs/behaviour.md §6.6, §7.9, §11). */
export const EVENT_LOG_NAMES = ['lifecycle', 'delivery', 'exits'] as const;
export type EventLogFile = (typeof EVENT_LOG_NAMES)[number];
/** Every log logd writes under `<root>/logs/iapeer/<name>.log`: decision logs and the services' pino logs. */
export const LOG_NAMES = [...EVENT_LOG_NAMES, ...ALL_SERVICE_NAMES] as const;
export type LogName = (typeof LOG_NAMES)[number];
