import fc from 'fast-check';

/** Runs per property: modest for CI (< 60 s on 2 cores); FUZZ_RUNS=500 for a long local run. */
export const fuzzRuns = (fallback = 20): number => {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/** Strings that have broken parsers before: names, paths, markup, unicode, control bytes. */
const NASTY = [
  '', ' ', '\t', '\n', '\r\n', '\0', 'a\0b', '-', '--', '-h', '--help', '--version',
  '..', '../', '../../etc/passwd', 'peers/../../x', './.iapeer', '~', '~/x', '$HOME', '`id`', '$(id)', '; rm -rf x', '|', '*', '?',
  'Bob', 'bob ', ' bob', 'BOB', 'b', 'a'.repeat(32), 'a'.repeat(33), 'claude-', '-bob', 'claude-bob', 'fake-alice', 'x-y-z', 'claude--bob', '1bob', 'bob_1',
  '💥', '👩‍👩‍👧', 'Привет', '世界', 'e\u0301', '\u202eevil', '\u200b', '\ufeff', '\ud800', 'ǅ',
  '<iap>', ']]>', '</message>', '"', "'", '\\', '%00', '%2e%2e%2f', 'CON', 'NUL', 'null', 'undefined', 'NaN', '__proto__', 'constructor', 'prototype', 'toString',
  'alice', 'bob', 'fake', 'claude', 'codex', 'telegram', 'lifecycle', 'delivery', 'registry', 'interrupt', 'compact',
  '2026-01-01T00:00:00Z', 'not-a-date', '1e309', '-0', '0x10',
];

/** Long strings around the limits (16 000 message chars, 200 topic, 64 KiB log line…). */
const HUGE = [200, 201, 16_000, 16_001, 64 * 1024 + 1, 300_000].map((n) => 'x'.repeat(n));

export const edgeString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom(...HUGE) },
);

export const edgeNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, 1.5, -1.5, 2 ** 31, -(2 ** 31), 2 ** 53, Number.MAX_SAFE_INTEGER + 2, Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity, NaN),
  fc.integer(),
  fc.double(),
);

/** Any JSON-ish value, biased to the edges; superjson carries undefined, NaN and Infinity too. */
export const edgeValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    edgeString,
    edgeNumber,
    fc.constantFrom(null, undefined, true, false),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(edgeString, tie('v'), { maxKeys: 3 }),
  ),
})).v;

/**
 * Inputs for a procedure whose valid input looks like `template`: the whole input of a
 * wrong type, keys dropped, keys replaced by edge values, an extra key, or the template
 * itself with one field at an edge. Absolute paths are kept inside `jail` (the tests run
 * as whatever user the machine gives, possibly root: a generated "/" must not become a
 * peer folder).
 */
export function inputsLike(template: Record<string, unknown> | undefined, jail: string): fc.Arbitrary<unknown> {
  const keys = Object.keys(template ?? {});
  const field = (k: string) => fc.oneof({ weight: 2, arbitrary: fc.constant(template![k]) }, { weight: 3, arbitrary: edgeValue });
  const shapes: fc.Arbitrary<unknown>[] = [edgeValue, fc.constant(undefined), fc.constant({})];
  if (keys.length > 0) {
    const rec = Object.fromEntries(keys.map((k) => [k, field(k)]));
    shapes.push(fc.record(rec, { requiredKeys: [] }));
    shapes.push(fc.record(rec));
    shapes.push(fc.tuple(fc.record(rec), edgeString.filter((k) => !keys.includes(k) && k.length > 0), edgeValue).map(([r, k, v]) => ({ ...r, [k]: v })));
    shapes.push(fc.tuple(fc.constantFrom(...keys), edgeValue).map(([k, v]) => ({ ...template, [k]: v })));
  }
  return fc.oneof(...shapes).map((v) => jailPaths(v, jail));
}

/** Every string that is an absolute path outside `jail` is moved under it. */
export function jailPaths(v: unknown, jail: string): unknown {
  if (typeof v === 'string') return v.startsWith('/') && !v.startsWith(jail + '/') ? jail + v : v;
  if (Array.isArray(v)) return v.map((x) => jailPaths(x, jail));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jailPaths(x, jail)]));
  return v;
}
