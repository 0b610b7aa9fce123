/**
 * The bundled Edge Impulse spec against the vendor's own text: every operation and every schema
 * they use are the vendor's, and whatever metaclear adds is marked as its addition.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { excerptOperations } from '../../scripts/excerpt.js';
import { REPO, Workspace } from '../helpers/workspace.js';

type Json = Record<string, unknown>;
const generated = JSON.parse(readFileSync(join(REPO, 'generated/edge-impulse/openapi.json'), 'utf8')) as Json;
const vendor = (file: string): Json =>
  load(readFileSync(join(REPO, 'specs/edge-impulse/vendor', file), 'utf8')) as Json;
const jobStatusSource = vendor('get-job-status.source.yaml');
const batch = vendor('batch-clear-metadata-by-key.yaml');
const samplesSource = vendor('samples.source.yaml');

const JOB_PATH = '/api/{projectId}/jobs/{jobId}/status';
const BATCH_PATH = '/api/{projectId}/raw-data/batch/clear-metadata-by-key';
const SAMPLE_PATHS = [
  ['/api/{projectId}/raw-data/count', 'get', 'countSamples'],
  ['/api/{projectId}/raw-data', 'get', 'listSamples'],
  ['/api/{projectId}/raw-data/batch/add-metadata', 'post', 'batchAddMetadata'],
] as const;
const at = (doc: Json, ...keys: string[]): Json => keys.reduce<Json>((node, key) => node[key] as Json, doc);

/** `node` with every local $ref of `doc` replaced by what it points at (the vendor's schemas are not recursive). */
function inline(doc: Json, node: unknown): unknown {
  if (Array.isArray(node)) return node.map((item) => inline(doc, item));
  if (typeof node !== 'object' || node === null) return node;
  const ref = (node as Json).$ref;
  if (typeof ref === 'string') {
    const target = ref
      .replace(/^#\//, '')
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
    return inline(doc, at(doc, ...target));
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, inline(doc, value)]));
}

/** Every node carrying the addition marker, with its JSON path. */
function additions(node: unknown, path = '$'): string[] {
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'x-metaclear-addition' ? [path] : additions(value, `${path}/${key}`),
  );
}

describe('the generated Edge Impulse spec', () => {
  it("has the vendor's job status operation, with metaclear's 4XX answer as the only addition", () => {
    const { '4XX': added, ...responses } = at(generated, 'paths', JOB_PATH, 'get', 'responses');
    const operation = { ...at(generated, 'paths', JOB_PATH, 'get'), responses };
    expect(operation).toEqual(at(jobStatusSource, 'paths', JOB_PATH, 'get'));
    expect(added).toMatchObject({
      'x-metaclear-addition': expect.stringContaining('The vendor documents no error answer for getJobStatus'),
      description: expect.stringMatching(/^Added by metaclear, not stated by the vendor: /),
    });
  });

  it.each([
    ['schemas', 'Job'],
    ['schemas', 'GetJobResponse'],
    ['schemas', 'CreatedUpdatedByUser'],
    ['schemas', 'GenericApiResponse'],
    ['parameters', 'JobIdParameter'],
    ['parameters', 'ProjectIdParameter'],
    ['securitySchemes', 'OAuth2'],
  ])("has the vendor's %s %s, word for word", (section, name) => {
    expect(at(generated, 'components', section, name)).toEqual(at(jobStatusSource, 'components', section, name));
  });

  it("has the vendor's batch operation as its docs page embeds it", () => {
    expect(at(generated, 'paths', BATCH_PATH)).toEqual(at(batch, 'paths', BATCH_PATH));
  });

  it.each(SAMPLE_PATHS)(
    "has the vendor's %s %s (%s) word for word, with metaclear's 4XX answer as the only addition",
    (path, method, operationId) => {
      const { '4XX': added, ...responses } = at(generated, 'paths', path, method, 'responses');
      const operation: Json = { ...at(generated, 'paths', path, method), responses };
      expect(operation.operationId).toBe(operationId);
      expect(inline(generated, operation)).toEqual(inline(samplesSource, at(samplesSource, 'paths', path, method)));
      expect(added).toMatchObject({
        'x-metaclear-addition': expect.stringContaining(`The vendor documents no error answer for ${operationId}`),
        description: expect.stringMatching(/^Added by metaclear, not stated by the vendor: /),
      });
    },
  );

  it('marks every addition, and there is none but the 4XX answers', () => {
    expect(additions(generated).sort()).toEqual(
      [
        `$/paths/${JOB_PATH}/get/responses/4XX`,
        ...SAMPLE_PATHS.map(([path, method]) => `$/paths/${path}/${method}/responses/4XX`),
      ].sort(),
    );
  });

  it("names no component the vendor does not, but for the bundler's -2 where the vendor's two texts differ", () => {
    const sources = [jobStatusSource, batch, samplesSource];
    for (const section of ['schemas', 'parameters']) {
      const names = new Set(sources.flatMap((doc) => Object.keys(at(doc, 'components', section))));
      const renamed = Object.keys(at(generated, 'components', section)).filter((n) => !names.has(n));
      // The docs page (clear) and the later published document (count, list, add) define these
      // differently: the docs page's category has "validation", its minId/maxId are integers.
      expect(renamed).toEqual(
        section === 'schemas'
          ? ['RawDataFilterCategory-2']
          : ['RawDataCategoryQueryParameter-2', 'FiltersMinIdParameter-2', 'FiltersMaxIdParameter-2'],
      );
      for (const name of renamed) {
        const base = name.replace(/-2$/, '');
        expect(inline(generated, at(generated, 'components', section, name))).toEqual(
          inline(samplesSource, at(samplesSource, 'components', section, base)),
        );
        expect(at(generated, 'components', section, base)).toEqual(at(batch, 'components', section, base));
      }
    }
  });
});

describe('the vendored count, list and add operations', () => {
  it('are exactly what specs:extract-operation cuts from their committed source', () => {
    const source = readFileSync(join(REPO, 'specs/edge-impulse/vendor/samples.source.yaml'), 'utf8');
    const excerpt = excerptOperations(source, {
      operationIds: SAMPLE_PATHS.map(([, , id]) => id),
      source: 'samples.source.yaml',
    });
    expect(excerpt.yaml).toBe(readFileSync(join(REPO, 'specs/edge-impulse/vendor/samples.yaml'), 'utf8'));
  });

  it('come with a manifest that selects them from the vendor document', () => {
    const manifest = vendor('samples.manifest.yaml');
    expect(manifest).toMatchObject({
      kind: 'openapi-document',
      selection: { operationIds: ['countSamples', 'listSamples', 'batchAddMetadata'] },
    });
    expect(vendor('get-job-status.manifest.yaml').source).toBe(manifest.source);
  });
});

describe("the project's additions overlay", () => {
  const ADDITIONS = 'specs/edge-impulse/project-additions.overlay.yaml';
  let ws: Workspace;
  beforeEach(() => {
    ws = new Workspace();
  });
  afterEach(() => ws.dispose());

  it('refuses an addition that does not say so, and one that removes vendor text, writing nothing', async () => {
    const existing = (ws.read(ADDITIONS).match(/^ {2}- target: /gm) ?? []).length;
    ws.write(
      ADDITIONS,
      `${ws.read(ADDITIONS)}  - target: $.paths['${JOB_PATH}'].get
    update:
      summary: Get the job
  - target: $.paths['${JOB_PATH}'].get['x-oauth-scopes']
    remove: true
`,
    );
    const before = ws.snapshot('generated');
    const result = await ws.generate('--force');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('edge-impulse: overlay not applied');
    expect(result.stderr).toMatch(
      new RegExp(
        `action ${existing + 1} .*its update carries no x-metaclear-addition; expected every addition to say why`,
      ),
    );
    expect(result.stderr).toMatch(new RegExp(`action ${existing + 2} .*removes vendor text; expected an addition`));
    expect(ws.snapshot('generated')).toEqual(before);
  });

  it("lints the overlay's additions with the spec's rules, naming the addition", async () => {
    ws.write(
      ADDITIONS,
      `${ws.read(ADDITIONS)}  - target: $.paths['${JOB_PATH}'].get.responses
    update:
      '5XX':
        x-metaclear-addition: A server error answer.
        content:
          application/json:
            schema:
              type: object
`,
    );
    const before = ws.snapshot('generated');
    const result = await ws.generate('--force');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /edge-impulse: lint of the overlays' additions found 1 problem\n {2}error struct: The field `description` must be present on this level\. at #\/paths\/~1api~1\{projectId\}~1jobs~1\{jobId\}~1status\/get\/responses\/5XX/,
    );
    expect(ws.snapshot('generated')).toEqual(before);
  });

  it.each([
    {
      name: 'a vendor description',
      update: `
      x-metaclear-addition: A clearer wording.
      description: Get the status of a job, reworded.`,
      target: `$.paths['${JOB_PATH}'].get`,
      pointer: `/paths/~1api~1{projectId}~1jobs~1{jobId}~1status/get`,
      key: 'description',
    },
    {
      name: "a vendor response's description, deep inside the update",
      update: `
      '200':
        x-metaclear-addition: A clearer wording.
        description: The job's status.`,
      target: `$.paths['${JOB_PATH}'].get.responses`,
      pointer: `/paths/~1api~1{projectId}~1jobs~1{jobId}~1status/get/responses/200`,
      key: 'description',
    },
  ])(
    'refuses an update that overwrites $name, naming where, writing nothing',
    async ({ update, target, pointer, key }) => {
      ws.write(ADDITIONS, `${ws.read(ADDITIONS)}  - target: ${target}\n    update:${update}\n`);
      const before = ws.snapshot('generated');
      const result = await ws.generate('--force');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('edge-impulse: overlay not applied');
      expect(result.stderr).toContain(
        `changes vendor text at ${pointer} (key "${key}"); expected additions only (the vendored file is the vendor's word)`,
      );
      expect(ws.snapshot('generated')).toEqual(before);
    },
  );
});
