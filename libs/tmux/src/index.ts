export type { SpawnSpec, GoneClass, TmuxDriver } from './driver';
