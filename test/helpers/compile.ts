/** Type-checks one file with the project's tsconfig; returns `file:line message` per diagnostic. */
import { join } from 'node:path';
import ts from 'typescript';
import { REPO } from './workspace.js';

export function compile(file: string): string[] {
  const config = ts.readConfigFile(join(REPO, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, REPO);
  const program = ts.createProgram([join(REPO, file)], { ...options, noEmit: true, types: ['node'] });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    return `${d.file ? d.file.fileName.replace(`${REPO}/`, '') : ''}:${where ? where.line + 1 : 0} ${text.split('\n')[0]}`;
  });
}
