import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { PipelineError } from '../../scripts/errors.js';
import { excerptOperations } from '../../scripts/excerpt.js';
import { REPO, runScript, Workspace } from '../helpers/workspace.js';

const VENDOR = 'specs/edge-impulse/vendor';
const SOURCE = `${VENDOR}/get-job-status.source.yaml`;
const EXCERPT = `${VENDOR}/get-job-status.yaml`;
const source = readFileSync(join(REPO, SOURCE), 'utf8');

/** A vendor document with more than the excerpt needs: the cut must drop exactly that. */
const MULTI = `# Vendor header comment.
openapi: 3.0.3
info:
  title: Multi
  version: '2'
servers:
  - url: https://api.example.com/v1
x-tagGroups:
  - name: all
tags:
  - name: Pets
    description: Pets.
  - name: Stores
paths:
  # Comment above the pets path.
  /pets/{petId}:
    parameters:
      - $ref: '#/components/parameters/PetId'
    get:
      operationId: getPet
      tags: [Pets]
      security:
        - petAuth: [read]
      responses:
        '200':
          description: A pet.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Pet'
    delete:
      operationId: deletePet
      responses:
        '204':
          description: Gone.
  /stores:
    get:
      operationId: listStores
      tags:
        - Stores
      responses:
        '200':
          description: "Stores, \\"quoted\\""
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Store'
components:
  parameters:
    PetId:
      name: petId
      in: path
      required: true
      schema: {type: string}
  schemas:
    Store:
      type: object
    # The pet: its kind decides its shape.
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
      discriminator:
        propertyName: kind
        mapping:
          dog: Dog
          cat: '#/components/schemas/Cat'
    Cat:
      type: object
      properties:
        owner:
          $ref: '#/components/schemas/Owner'   # a comment inside an entry is kept
    Dog: {type: object}
    Owner:
      type: string
      description: |+
        Kept
        text.

    Unused:
      type: string
  securitySchemes:
    petAuth:
      type: oauth2
      flows: {}
    otherAuth:
      type: http
      scheme: basic
`;

const body = (yaml: string): string => yaml.replace(/^(#[^\n]*\n)+/, '');

/** True when every line of `part` is a line of `whole`, in the same order. */
function isSubsequenceOfLines(part: string, whole: string): boolean {
  const lines = whole.split('\n');
  let at = 0;
  for (const line of part.split('\n')) {
    while (at < lines.length && lines[at] !== line) at++;
    if (at === lines.length) return false;
    at++;
  }
  return true;
}

describe('cutting operations out of a vendor OpenAPI document', () => {
  it('yields exactly the committed vendored job status operation from its committed source', () => {
    const excerpt = excerptOperations(source, { operationIds: ['getJobStatus'], source: 'get-job-status.source.yaml' });
    expect(excerpt.name).toBe('get-job-status');
    expect(Buffer.from(excerpt.yaml).equals(readFileSync(join(REPO, EXCERPT)))).toBe(true);
  });

  it("keeps the vendor's job status text: the committed excerpt is the source without its header comment", () => {
    const vendored = readFileSync(join(REPO, EXCERPT), 'utf8');
    expect(body(vendored)).toBe(body(source));
    expect(vendored).toMatch(/^# Written by "npm run specs:extract-operation" from get-job-status\.source\.yaml\./);
    expect(vendored).toContain('    CreatedUpdatedByUser:\n');
    expect(vendored).toContain('      x-oauth-scopes:\n        - jobs:read\n');
    expect(vendored).not.toContain("'4XX'");
  });

  it('keeps the operation, the path fields and every component reached, transitively, and nothing else', () => {
    const excerpt = excerptOperations(MULTI, { operationIds: ['getPet'], source: 'multi.yaml' });
    expect(excerpt.components).toEqual([
      '#/components/parameters/PetId',
      '#/components/schemas/Pet',
      '#/components/schemas/Cat',
      '#/components/schemas/Dog',
      '#/components/schemas/Owner',
      '#/components/securitySchemes/petAuth',
    ]);
    const doc = load(excerpt.yaml) as Record<string, Record<string, Record<string, unknown>>>;
    expect(Object.keys(doc)).toEqual(['openapi', 'info', 'servers', 'tags', 'paths', 'components']);
    expect(doc.tags).toEqual([{ name: 'Pets', description: 'Pets.' }]);
    expect(Object.keys(doc.paths as object)).toEqual(['/pets/{petId}']);
    expect(Object.keys(doc.paths?.['/pets/{petId}'] as object)).toEqual(['parameters', 'get']);
    const schemas = doc.components?.schemas as Record<string, { description?: string }>;
    expect(schemas.Owner?.description).toBe('Kept\ntext.\n\n');
  });

  it("copies the vendor's lines as they are: quoting, flow style, comments above and inside entries", () => {
    const excerpt = excerptOperations(MULTI, { operationIds: ['getPet'], source: 'multi.yaml' });
    expect(isSubsequenceOfLines(body(excerpt.yaml), MULTI)).toBe(true);
    expect(excerpt.yaml).toContain('    # The pet: its kind decides its shape.\n    Pet:\n');
    expect(excerpt.yaml).toContain(
      "          $ref: '#/components/schemas/Owner'   # a comment inside an entry is kept\n",
    );
    expect(excerpt.yaml).toContain('  # Comment above the pets path.\n');
    expect(excerpt.yaml).not.toContain('# Vendor header comment.');
    expect(excerpt.yaml).not.toMatch(/deletePet|Unused|otherAuth|Store|x-tagGroups/);
  });

  it('takes several operations at once, named after the first', () => {
    const excerpt = excerptOperations(MULTI, { operationIds: ['listStores', 'deletePet'], source: 'multi.yaml' });
    expect(excerpt.name).toBe('list-stores');
    const doc = load(excerpt.yaml) as { paths: Record<string, object>; tags: unknown };
    expect(Object.keys(doc.paths)).toEqual(['/pets/{petId}', '/stores']);
    expect(Object.keys(doc.paths['/pets/{petId}'] as object)).toEqual(['parameters', 'delete']);
    expect(doc.tags).toEqual([{ name: 'Stores' }]);
    expect(excerpt.components).toEqual(['#/components/parameters/PetId', '#/components/schemas/Store']);
  });

  it.each([
    [
      'an unknown operationId',
      MULTI,
      ['getPets'],
      /no operation has the operationId getPets.*expected the operationId/,
    ],
    ['no operationId', MULTI, [], /no operation to excerpt: expected at least one operationId/],
    [
      'a reference to another file',
      MULTI.replace("$ref: '#/components/schemas/Owner'", "$ref: 'owner.yaml'"),
      ['getPet'],
      /cannot follow the reference owner\.yaml: expected references into the same document's components/,
    ],
    [
      'a reference to nothing',
      MULTI.replace("$ref: '#/components/schemas/Owner'", "$ref: '#/components/schemas/Nobody'"),
      ['getPet'],
      /the reference #\/components\/schemas\/Nobody points at nothing/,
    ],
    [
      'components in flow style',
      MULTI.replace(
        /\ncomponents:\n[\s\S]*$/,
        '\ncomponents: {schemas: {Pet: {type: object}}, securitySchemes: {petAuth: {type: http, scheme: basic}}}\n',
      ).replace("    parameters:\n      - $ref: '#/components/parameters/PetId'\n", ''),
      ['getPet'],
      /multi\.yaml:\d+ cannot cut components out line by line: its value is written on the key line \(flow style\)/,
    ],
    [
      'an alias into a dropped entry',
      MULTI.replace('    Unused:\n      type: string', '    Unused: &unused\n      type: string').replace(
        '    Dog: {type: object}',
        '    Dog: *unused',
      ),
      ['getPet'],
      /does not parse|would not say what the source says/,
    ],
    ['a Swagger 2 document', 'swagger: "2.0"\npaths: {}\n', ['getPet'], /is not an OpenAPI 3 document/],
    [
      'an operationId declared twice',
      MULTI.replace('operationId: deletePet', 'operationId: getPet'),
      ['getPet'],
      /operationId getPet is declared twice: by GET \/pets\/\{petId\} and DELETE \/pets\/\{petId\}/,
    ],
  ])('refuses %s, saying what was expected', (_name, text, operationIds, message) => {
    let thrown: unknown;
    try {
      excerptOperations(text, { operationIds, source: 'multi.yaml' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PipelineError);
    expect((thrown as Error).message).toMatch(message);
  });
});

describe('npm run specs:extract-operation', () => {
  let ws: Workspace;
  beforeEach(() => {
    ws = new Workspace();
  });
  afterEach(() => ws.dispose());

  it('--check passes on the committed files', async () => {
    const result = await runScript('extract-operation', [
      join(REPO, SOURCE),
      '--operation',
      'getJobStatus',
      '--root',
      ws.root,
      '--check',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('writes the source as received and the excerpt cut out of it, and --check sees the difference first', async () => {
    ws.write('multi.yaml', MULTI);
    const args = [ws.path('multi.yaml'), '--operation', 'getPet', '--name', 'pets', '--root', ws.root];
    const check = await runScript('extract-operation', [...args, '--check']);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('stale: ');
    expect(ws.snapshot(VENDOR)).not.toHaveProperty(['pets.yaml']);

    const result = await runScript('extract-operation', args);
    expect(result.code).toBe(0);
    expect(ws.read(`${VENDOR}/pets.source.yaml`)).toBe(MULTI);
    expect(ws.read(`${VENDOR}/pets.yaml`)).toBe(
      excerptOperations(MULTI, { operationIds: ['getPet'], source: 'pets.source.yaml' }).yaml,
    );
    expect((await runScript('extract-operation', [...args, '--check'])).code).toBe(0);
  });

  it('writes nothing and exits 1 when the operation is not in the document', async () => {
    const before = ws.snapshot('specs');
    const result = await runScript('extract-operation', [
      join(REPO, SOURCE),
      '--operation',
      'getJob',
      '--root',
      ws.root,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^specs:extract-operation: .*get-job-status\.source\.yaml: no operation has the operationId getJob/,
    );
    expect(ws.snapshot('specs')).toEqual(before);
  });

  it('says what it expects when called without an operation', async () => {
    const result = await runScript('extract-operation', [join(REPO, SOURCE), '--root', ws.root]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /expected at least one --operation <operationId>: usage: npm run specs:extract-operation/,
    );
  });
});
