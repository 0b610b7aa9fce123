/**
 * The bundled Edge Impulse spec against the vendor's own text: both operations and every schema
 * they use are the vendor's, and whatever metaclear adds is marked as its addition.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { REPO, Workspace } from '../helpers/workspace.js';

type Json = Record<string, unknown>;
const generated = JSON.parse(readFileSync(join(REPO, 'generated/edge-impulse/openapi.json'), 'utf8')) as Json;
const vendor = (file: string): Json =>
  load(readFileSync(join(REPO, 'specs/edge-impulse/vendor', file), 'utf8')) as Json;
const jobStatusSource = vendor('get-job-status.source.yaml');
const batch = vendor('batch-clear-metadata-by-key.yaml');

const JOB_PATH = '/api/{projectId}/jobs/{jobId}/status';
const BATCH_PATH = '/api/{projectId}/raw-data/batch/clear-metadata-by-key';
const at = (doc: Json, ...keys: string[]): Json => keys.reduce<Json>((node, key) => node[key] as Json, doc);

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

  it('marks every addition, and there is none but the 4XX answer', () => {
    expect(additions(generated)).toEqual([`$/paths/${JOB_PATH}/get/responses/4XX`]);
  });

  it('names no schema the vendor does not', () => {
    const vendorNames = new Set([
      ...Object.keys(at(jobStatusSource, 'components', 'schemas')),
      ...Object.keys(at(batch, 'components', 'schemas')),
    ]);
    expect(Object.keys(at(generated, 'components', 'schemas')).filter((n) => !vendorNames.has(n))).toEqual([]);
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
      /action 2 .*its update carries no x-metaclear-addition; expected every addition to say why/,
    );
    expect(result.stderr).toMatch(/action 3 .*removes vendor text; expected an addition/);
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
