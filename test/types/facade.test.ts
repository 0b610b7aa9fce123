import { compile } from '../helpers/compile.js';

describe('the facade types', () => {
  it('refuse every misuse marked @ts-expect-error, and accept the correct uses', () => {
    expect(compile('test/fixtures/types/facade-misuse.ts')).toEqual([]);
  });
});
