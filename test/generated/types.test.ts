import { join } from 'node:path';
import ts from 'typescript';
import { REPO } from '../helpers/workspace.js';

function compile(file: string): string[] {
  const config = ts.readConfigFile(join(REPO, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, REPO);
  const program = ts.createProgram([join(REPO, file)], { ...options, noEmit: true, types: [] });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    return `${d.file ? d.file.fileName.replace(`${REPO}/`, '') : ''}:${where ? where.line + 1 : 0} ${text.split('\n')[0]}`;
  });
}

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
