import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PipelineError } from '../../scripts/errors.js';
import { extractSpec } from '../../scripts/extract.js';
import { REPO, runScript, Workspace } from '../helpers/workspace.js';

const VENDOR = 'specs/edge-impulse/vendor';
const PAGE = `${VENDOR}/batch-clear-metadata-by-key.page.md`;
const YAML = `${VENDOR}/batch-clear-metadata-by-key.yaml`;
const page = readFileSync(join(REPO, PAGE), 'utf8');

const fence = (body: string, info = 'yaml /.assets/openapi.yaml post /x'): string =>
  `\`\`\`\`${info}\n${body}\`\`\`\`\n`;
const minimal =
  'openapi: 3.0.0\ninfo: {title: t, version: "1"}\npaths:\n  /x:\n    get:\n      operationId: getX\n      responses: {}\n';

describe('extracting the OpenAPI YAML of a docs page', () => {
  it('yields exactly the committed vendored file from the committed docs page', () => {
    const spec = extractSpec(page, PAGE);
    expect(spec.name).toBe('batch-clear-metadata-by-key');
    expect(spec.operationIds).toEqual(['batchClearMetadataByKey']);
    expect(Buffer.from(spec.yaml).equals(readFileSync(join(REPO, YAML)))).toBe(true);
  });

  it('keeps the block byte for byte, without the fences or the info line', () => {
    const spec = extractSpec(`# Page\n\ntext\n\n${fence(minimal)}after\n`, 'page.md');
    expect(spec.yaml).toBe(minimal);
    expect(spec.name).toBe('get-x');
  });

  it.each([
    ['no yaml block', '# nothing here\n', /found 0 yaml blocks.*expected exactly one fenced block/],
    ['two yaml blocks', fence(minimal) + fence(minimal), /found 2 yaml blocks/],
    ['an unclosed block', `intro\n\`\`\`\`yaml\n${minimal}`, /yaml block opened on line 2 is never closed/],
    [
      'a block that does not parse',
      `line 1\n${fence('openapi: 3.0.0\npaths: [unclosed\n')}`,
      /page\.md:\d+:\d+ the yaml block does not parse/,
    ],
    ['a block that is not a mapping', fence('- a\n- b\n'), /is not a mapping.*expected an OpenAPI document/],
    [
      'a Swagger 2 document',
      fence(minimal.replace('openapi: 3.0.0', 'swagger: "2.0"')),
      /not an OpenAPI 3 document.*found undefined/,
    ],
    ['a document without paths', fence('openapi: 3.0.0\ninfo: {title: t, version: "1"}\n'), /has no paths/],
    [
      'a document without an operationId',
      fence(minimal.replace('      operationId: getX\n', '')),
      /declares 0 operationIds/,
    ],
  ])('refuses %s with a message saying what was expected', (_name, text, message) => {
    let thrown: unknown;
    try {
      extractSpec(text, 'page.md');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PipelineError);
    expect((thrown as Error).message).toMatch(message);
  });

  it('reports the page line of a YAML syntax error', () => {
    const text = `one\ntwo\n${fence('openapi: 3.0.0\ninfo: {title: t\n')}`;
    expect(() => extractSpec(text, 'p.md')).toThrow(/^p\.md:(5|6):\d+ the yaml block does not parse/);
  });
});

describe('npm run specs:extract', () => {
  let ws: Workspace;
  beforeEach(() => {
    ws = new Workspace();
  });
  afterEach(() => ws.dispose());

  it('--check passes on the committed files', async () => {
    const result = await runScript('extract-page', [join(REPO, PAGE), '--root', ws.root, '--check']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('writes the page and its YAML into specs/<api>/vendor/', async () => {
    const updated = page.replace(
      '      description: Clears a specific metadata field (by key) for multiple samples.',
      '      description: Clears one metadata key.',
    );
    ws.write('new-page.md', updated);
    const check = await runScript('extract-page', [ws.path('new-page.md'), '--root', ws.root, '--check']);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(`stale: `);
    expect(ws.read(PAGE)).toBe(page);

    const result = await runScript('extract-page', [ws.path('new-page.md'), '--root', ws.root]);
    expect(result.code).toBe(0);
    expect(ws.read(PAGE)).toBe(updated);
    expect(ws.read(YAML)).toBe(extractSpec(updated, 'new-page.md').yaml);
    expect(ws.read(YAML)).toContain('description: Clears one metadata key.');
  });

  it('writes nothing and exits 1 when the page is not usable', async () => {
    const before = ws.snapshot('specs');
    ws.write('bad.md', '# no yaml\n');
    const result = await runScript('extract-page', [ws.path('bad.md'), '--root', ws.root]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/specs:extract: .*bad\.md: found 0 yaml blocks/);
    expect(ws.snapshot('specs')).toEqual(before);
  });

  it('says what it expects when called without a page', async () => {
    const result = await runScript('extract-page', ['--root', ws.root]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/expected one docs page, got 0: usage: npm run specs:extract/);
  });
});
