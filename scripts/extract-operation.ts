/**
 * Entry for `npm run specs:extract-operation -- <vendor-openapi.yaml> --operation <operationId>
 * [--operation <operationId> …] [--name <stem>] [--api <name>] [--root <dir>] [--check]`.
 *
 * Vendors an excerpt of a vendor's OpenAPI document (see excerpt.ts): writes the document as
 * received to specs/<api>/vendor/<stem>.source.yaml and the excerpt cut out of it to
 * specs/<api>/vendor/<stem>.yaml, both or neither. The stem defaults to the first operationId
 * in kebab case. With --check it writes nothing and exits 1 when the vendored files differ.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Parsed, runEntry } from './entry.js';
import { PipelineError } from './errors.js';
import { excerptFiles } from './excerpt.js';
import { writeOrCheckVendored } from './vendored-output.js';

const USAGE =
  'usage: npm run specs:extract-operation -- <vendor-openapi.yaml> --operation <operationId> [--operation …] [--name <stem>] [--api edge-impulse] [--root <dir>] [--check]';
const NAME = /^[a-z0-9][a-z0-9-]*$/;

const ARGS = {
  options: {
    operation: { type: 'string', multiple: true, default: [] as string[] },
    name: { type: 'string' },
    api: { type: 'string', default: 'edge-impulse' },
    root: { type: 'string', default: process.cwd() },
    check: { type: 'boolean', default: false },
  },
  allowPositionals: true,
} as const;

function main({ values, positionals }: Parsed<typeof ARGS>): number {
  if (positionals.length !== 1) {
    throw new PipelineError(`expected one vendor OpenAPI document, got ${positionals.length}`, { reason: USAGE });
  }
  if (values.operation.length === 0) {
    throw new PipelineError('expected at least one --operation <operationId>', { reason: USAGE });
  }
  for (const [flag, value] of [
    ['--api', values.api],
    ['--name', values.name],
  ] as const) {
    if (value !== undefined && !NAME.test(value)) {
      throw new PipelineError(`${flag} ${JSON.stringify(value)} cannot name a file or folder`, {
        reason: 'expected lower-case letters, digits and dashes, e.g. "get-job-status"',
      });
    }
  }
  const sourcePath = positionals[0] as string;
  let sourceText: string;
  try {
    sourceText = readFileSync(sourcePath, 'utf8');
  } catch (error) {
    throw new PipelineError(`cannot read the vendor document ${sourcePath}`, { reason: (error as Error).message });
  }
  const files = excerptFiles(resolve(values.root), values.api, sourceText, values.operation, values.name, sourcePath);
  const ops = values.operation.map((id) => ` --operation ${id}`).join('');
  return writeOrCheckVendored(files, {
    check: values.check,
    rerun: `npm run specs:extract-operation -- ${sourcePath}${ops}`,
    what: `operation ${values.operation.join(', ')}`,
  });
}

void runEntry({ name: 'specs:extract-operation', usage: USAGE, args: ARGS }, main);
