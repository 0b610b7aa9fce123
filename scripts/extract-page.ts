/**
 * Entry for `npm run specs:extract -- <docs-page.md> [--api <name>] [--source <url>] [--check]`.
 *
 * Vendors a vendor docs page: writes the page itself and the OpenAPI YAML block it embeds,
 * byte for byte, to specs/<api>/vendor/<operation>.page.md and <operation>.yaml. With
 * --source, the URL the page was saved from, it also writes their manifest,
 * <operation>.manifest.yaml (see vendor-manifest.ts), so `npm run specs:update` can fetch it again.
 * With --check it writes nothing and exits 1 when the vendored files differ.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Parsed, runEntry } from './entry.js';
import { PipelineError } from './errors.js';
import { extractSpec } from './extract.js';
import { MANIFEST_SUFFIX, parseManifest, serializeManifest } from './vendor-manifest.js';
import { writeOrCheckVendored } from './vendored-output.js';

const USAGE =
  'usage: npm run specs:extract -- <docs-page.md> [--api edge-impulse] [--source <url> [--date YYYY-MM-DD]] [--root <dir>] [--check]';

const ARGS = {
  options: {
    api: { type: 'string', default: 'edge-impulse' },
    root: { type: 'string', default: process.cwd() },
    check: { type: 'boolean', default: false },
    source: { type: 'string' },
    date: { type: 'string', default: new Date().toISOString().slice(0, 10) },
  },
  allowPositionals: true,
} as const;

function main({ values, positionals }: Parsed<typeof ARGS>): number {
  if (positionals.length !== 1) {
    throw new PipelineError(`expected one docs page, got ${positionals.length}`, { reason: USAGE });
  }
  if (!/^[a-z0-9][a-z0-9-]*$/.test(values.api)) {
    throw new PipelineError(`--api ${JSON.stringify(values.api)} is not a spec folder name`, {
      reason: 'expected lower-case letters, digits and dashes, e.g. "edge-impulse"',
    });
  }
  const pagePath = positionals[0] as string;
  let page: string;
  try {
    page = readFileSync(pagePath, 'utf8');
  } catch (error) {
    throw new PipelineError(`cannot read the docs page ${pagePath}`, { reason: (error as Error).message });
  }
  const spec = extractSpec(page, pagePath);
  const dir = join(resolve(values.root), 'specs', values.api, 'vendor');
  const files = new Map([
    [join(dir, `${spec.name}.yaml`), spec.yaml],
    [join(dir, `${spec.name}.page.md`), page],
  ]);
  if (values.source !== undefined) {
    const manifest = {
      source: values.source,
      kind: 'docs-page' as const,
      selection: { operationIds: spec.operationIds },
      retrieved: values.date,
    };
    const text = serializeManifest(manifest, spec.name);
    parseManifest(text, '--source / --date'); // says what is wrong with the URL or the date
    files.set(join(dir, `${spec.name}${MANIFEST_SUFFIX}`), text);
  }
  return writeOrCheckVendored(files, {
    check: values.check,
    rerun: `npm run specs:extract -- ${pagePath} --api ${values.api}`,
    what: `operation ${spec.operationIds.join(', ')}`,
  });
}

void runEntry({ name: 'specs:extract', usage: USAGE, args: ARGS }, main);
