import fs from 'node:fs';
import path from 'node:path';
import { ERROR_CODES } from './error-codes';

// docs/errors.md is the human face of the registry: every code has exactly one row.
describe('error code registry ↔ docs/errors.md', () => {
  const doc = fs.readFileSync(path.join(__dirname, '../../../docs/errors.md'), 'utf8');
  const rows = [...doc.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);

  it('documents every code once, and nothing else', () => {
    expect([...rows].sort()).toEqual(Object.keys(ERROR_CODES).sort());
    expect(new Set(rows).size).toBe(rows.length);
  });

  it('gives every code a description and a way to solve it', () => {
    for (const [code, entry] of Object.entries(ERROR_CODES)) {
      expect(entry.description.length).toBeGreaterThan(10);
      expect(entry.solve.length).toBeGreaterThan(10);
      expect(doc).toContain(`| \`${code}\` | ${entry.wire} | ${entry.description} | ${entry.solve} |`);
    }
  });
});
