/** Injected at bundle time by tools/build.mjs; the source fallback is for tests. */
declare const __IAPEER_VERSION__: string | undefined;
export const IAPEER_VERSION: string = typeof __IAPEER_VERSION__ === 'string' ? __IAPEER_VERSION__ : '0.0.0-dev';
