import { compile } from '../helpers/compile.js';

describe('the facade types', () => {
  it('refuse every misuse marked @ts-expect-error, and accept the correct uses', () => {
    expect(compile('test/fixtures/types/facade-misuse.ts')).toEqual([]);
  });

  it('name the errors, the retry settings, the connection options and the declaration of safe retries', () => {
    expect(compile('test/fixtures/types/errors-and-connections.ts')).toEqual([]);
  });
});
