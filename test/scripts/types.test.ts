/**
 * The types step's contract with openapi-typescript. The step calls the package's exported
 * transform with a context it builds itself (scripts/types.ts), not `openapiTS()`, which would
 * lint and bundle the document again. This test pins that the two give the same text, on the
 * project's bundles and on a synthetic spec that uses what they do not (discriminators, enums,
 * nullable fields, every parameter kind): an upgrade of openapi-typescript whose defaults or
 * transform change fails here rather than changing generated/ silently.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { syntheticSpec } from '../../bench/synthetic-spec.js';
import { REPO } from '../helpers/workspace.js';

const run = promisify(execFile);

const PETS = {
  openapi: '3.0.3',
  info: { title: 't', version: '1' },
  paths: {
    '/pets/{id}': {
      get: {
        operationId: 'getPet',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
          { name: 'kind', in: 'query', schema: { type: 'string', enum: ['cat', 'dog'] } },
          { name: 'x-trace', in: 'header', schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } },
          },
          default: { description: 'error' },
        },
      },
    },
  },
  components: {
    schemas: {
      Pet: {
        oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }],
        discriminator: { propertyName: 'petType', mapping: { cat: '#/components/schemas/Cat' } },
      },
      Base: { type: 'object', required: ['petType'], properties: { petType: { type: 'string' } } },
      Cat: {
        allOf: [
          { $ref: '#/components/schemas/Base' },
          { type: 'object', properties: { lives: { type: 'integer', default: 9 } } },
        ],
      },
      Dog: {
        allOf: [
          { $ref: '#/components/schemas/Base' },
          {
            type: 'object',
            properties: {
              owner: { type: 'string', nullable: true },
              tags: { type: 'array', items: { type: 'string' } },
            },
            additionalProperties: true,
          },
        ],
      },
    },
  },
};

const bundle = (name: string): unknown =>
  JSON.parse(readFileSync(join(REPO, 'generated', name, 'openapi.json'), 'utf8'));

let results: Record<string, { step: string; openapiTS: string }>;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'metaclear-types-'));
  try {
    const input = join(dir, 'documents.json');
    writeFileSync(
      input,
      JSON.stringify({
        'edge-impulse': bundle('edge-impulse'),
        'oracle-documents': bundle('oracle-documents'),
        synthetic: syntheticSpec(60),
        pets: PETS,
      }),
    );
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', join(REPO, 'test', 'helpers', 'types-contract.ts'), input],
      { cwd: REPO, maxBuffer: 64 * 2 ** 20 },
    );
    results = JSON.parse(stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it.each(['edge-impulse', 'oracle-documents'])('%s: the same types as openapiTS(), and those are committed', (name) => {
  const result = results[name];
  expect(result?.step).toBe(result?.openapiTS);
  expect(readFileSync(join(REPO, 'generated', name, 'schema.d.ts'), 'utf8')).toBe(result?.openapiTS);
});

it.each([
  ['a synthetic vendor-like spec (shared parameters, allOf responses, examples)', 'synthetic'],
  ['a spec with a discriminator, a nullable field, enums and every parameter kind', 'pets'],
])('%s: the same types as openapiTS()', (_label, name) => {
  const result = results[name];
  expect(result?.openapiTS).toMatch(/export interface paths/);
  expect(result?.step).toBe(result?.openapiTS);
});
