import { compile } from '../helpers/compile.js';

describe('the generated types', () => {
  it('compile under the strict tsconfig, together with code that uses them', () => {
    expect(compile('test/fixtures/types/usage.ts')).toEqual([]);
  });

  it('reject values the specs do not allow', () => {
    const errors = compile('test/fixtures/types/misuse.ts');
    const lines = errors.map((e) => Number(e.split(' ')[0]?.split(':')[1]));
    // One error on each of the five misuse lines (6 to 10), none elsewhere.
    expect(lines).toEqual([6, 7, 8, 9, 10]);
    expect(errors.every((e) => e.startsWith('test/fixtures/types/misuse.ts:'))).toBe(true);
  });
});
