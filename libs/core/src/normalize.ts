import { transliterate } from 'transliteration';

/**
 * `normalize(s) = slug(transliterate(s))` (BEHAVIOUR §2.2). Idempotent on valid
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
