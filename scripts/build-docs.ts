/**
 * Entry for `npm run docs [-- --out <dir>]`: renders each bundled spec (generated/<api>/openapi.json) to a
 * static HTML reference page with `redocly build-docs`, in docs/api/<api>.html. The pages
 * load Redoc from a file beside them instead of a CDN, so they open without a network.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GENERATED_DIR } from './apis.js';
import { PipelineError } from './errors.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { out: { type: 'string', default: join(root, 'docs', 'api') } } });
const out = values.out;
const cli = dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json'));
const REDOC = join(cli, 'lib', 'chunks', 'redoc.standalone.js');
const CDN = /https:\/\/cdn\.redocly\.com\/redoc\/[^"']+\/redoc\.standalone\.js/g;

mkdirSync(out, { recursive: true });
copyFileSync(REDOC, join(out, 'redoc.standalone.js'));
for (const api of readdirSync(join(root, GENERATED_DIR)).sort()) {
  const page = join(out, `${api}.html`);
  execFileSync(
    process.execPath,
    [join(cli, 'bin', 'cli.js'), 'build-docs', join(root, GENERATED_DIR, api, 'openapi.json'), '-o', page],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
  const html = readFileSync(page, 'utf8');
  if (!CDN.test(html)) throw new PipelineError(`${page}: no Redoc script tag to point at the local copy`);
  writeFileSync(page, html.replace(CDN, './redoc.standalone.js'));
  process.stdout.write(`docs: wrote ${page}\n`);
}
