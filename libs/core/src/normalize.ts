import type * as Transliteration from 'transliteration';

let lib: typeof Transliteration | undefined;
/**
 * Loaded on first use: its tables are ~220 kB and initializing them was a third of
 * every CLI start, though only name normalization needs them (docs/notes/bench.md).
 */
function transliterate(input: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a deliberate lazy load (see above)
  lib ??= require('transliteration') as typeof Transliteration;
  return lib.transliterate(input);
}

/**
 * `normalize(s) = slug(transliterate(s))` (docs/behaviour.md §2.2). Idempotent on valid
 * names; never "fixes" a leading digit: the caller rejects such a result and asks
 * for an explicit peer-profile.json.
 */
export function normalizeName(input: string): string {
  const latin = transliterate(input.replace(/№/g, 'No.'));
  let slug = latin
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  slug = slug.slice(0, 32).replace(/-+$/, '');
  return slug;
}
