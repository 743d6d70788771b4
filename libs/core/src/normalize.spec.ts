import { normalizeName } from './normalize';
import { isPersonality } from './identity';

describe('normalizeName (docs/behaviour.md §2.2 goldens)', () => {
  it.each([
    ['Привет', 'privet'],
    ['Köln', 'koln'],
    ['项目', 'xiang-mu'],
    ['My Project', 'my-project'],
    ['  --Hello__World--  ', 'hello-world'],
    ['№5 plan', 'no-5-plan'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });

  it('cuts to 32 chars and trims a dash the cut leaves', () => {
    const out = normalizeName('abcdefghij-abcdefghij-abcdefghi-xyz');
    expect(out).toBe('abcdefghij-abcdefghij-abcdefghi');
    expect(out.length).toBeLessThanOrEqual(32);
  });

  it('is idempotent on valid names', () => {
    for (const name of ['a', 'code-reviewer', 'x1-y2', 'a'.repeat(32)]) expect(normalizeName(name)).toBe(name);
  });

  it('never fixes a leading digit: the result fails the name regex', () => {
    const out = normalizeName('2fast');
    expect(out).toBe('2fast');
    expect(isPersonality(out)).toBe(false);
  });
});
