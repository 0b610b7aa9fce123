/**
 * A synthetic OpenAPI 3.0 description with a chosen number of operations, for the scaling
 * benchmark, shaped like a large vendor API (Edge Impulse's complete API: about 540 operations,
 * 740 schemas, 1 MB of YAML):
 *
 * - resources of four operations each (list, get, update, delete), a fifth "batch" operation on
 *   every third resource that takes the shared filter parameters, as vendors' bulk endpoints do;
 * - shared parameters in components (project id, pagination, a dozen filters) used by `$ref`
 *   from hundreds of operations, next to inline ones;
 * - `$ref`-heavy schemas: every response is `allOf` a shared GenericApiResponse and its own
 *   object; entities reference shared enums, a shared Metadata object and each other;
 * - examples on responses, request bodies and parameters, which the lint rules validate.
 *
 * It passes the rules of the project's redocly.yaml (recommended-strict plus its own).
 */
import { dump } from 'js-yaml';

/** Operations per tag, as vendors group their endpoints. */
const RESOURCES_PER_TAG = 6;

function pad(i: number): string {
  return String(i).padStart(5, '0');
}

const FILTERS = [
  [
    'FiltersLabels',
    'labels',
    { type: 'string' },
    'Only include samples with one of these labels, as a JSON array.',
    '["idle"]',
  ],
  ['FiltersFilename', 'filename', { type: 'string' }, 'Only include samples whose name contains this text.', 'walk'],
  ['FiltersMinLength', 'minLength', { type: 'number' }, 'Only include samples of at least this length, in ms.', 100],
  ['FiltersMaxLength', 'maxLength', { type: 'number' }, 'Only include samples of at most this length, in ms.', 5000],
  [
    'FiltersMinFrequency',
    'minFrequency',
    { type: 'number' },
    'Only include samples of at least this frequency, in Hz.',
    16,
  ],
  [
    'FiltersMaxFrequency',
    'maxFrequency',
    { type: 'number' },
    'Only include samples of at most this frequency, in Hz.',
    16000,
  ],
  [
    'FiltersSignatureValidity',
    'signatureValidity',
    { type: 'string', enum: ['both', 'valid', 'invalid'] },
    'Signature state.',
    'both',
  ],
  [
    'FiltersDisabled',
    'includeDisabled',
    { type: 'string', enum: ['both', 'enabled', 'disabled'] },
    'Which samples to include.',
    'enabled',
  ],
  ['FiltersIds', 'ids', { type: 'string' }, 'Only include these ids, as a JSON array.', '[1,2,3]'],
  ['FiltersExcludeIds', 'excludeIds', { type: 'string' }, 'Exclude these ids, as a JSON array.', '[4]'],
  [
    'FiltersMinDate',
    'minDate',
    { type: 'string', format: 'date-time' },
    'Only include samples added after this date.',
    '2024-01-01T00:00:00Z',
  ],
  [
    'FiltersMaxDate',
    'maxDate',
    { type: 'string', format: 'date-time' },
    'Only include samples added before this date.',
    '2025-01-01T00:00:00Z',
  ],
] as const;

function entity(i: number): string {
  return `Resource${pad(i)}`;
}

function exampleEntity(i: number): Record<string, unknown> {
  return {
    id: i + 1,
    name: `resource ${i}`,
    state: 'active',
    created: '2024-05-01T12:00:00Z',
    labels: ['blue'],
    size: 1024,
    metadata: { owner: 'ops', revision: 3 },
    ...(i > 0 ? { parent: { id: i, name: `resource ${i - 1}` } } : {}),
  };
}

function ok(schema: string, example: unknown, description: string): Record<string, unknown> {
  return {
    description,
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` }, example } },
  };
}

const ERRORS = {
  '400': { $ref: '#/components/responses/BadRequest' },
  '404': { $ref: '#/components/responses/NotFound' },
};

/** The operations of resource `r`, at most `limit` of them, as [path, method, operation]. */
function resourceOperations(r: number, limit: number): [string, string, Record<string, unknown>][] {
  const name = entity(r);
  const base = `/api/{projectId}/resources-${pad(r)}`;
  const tags = [`group-${Math.floor(r / RESOURCES_PER_TAG)}`];
  const idParameter = {
    name: 'resourceId',
    in: 'path',
    required: true,
    description: `Identifier of the ${name} entry.`,
    schema: { type: 'integer', minimum: 1 },
    example: 12,
  };
  const project = { $ref: '#/components/parameters/ProjectIdParameter' };
  const list: Record<string, unknown> = {
    tags,
    summary: `List ${name} entries`,
    description: `Lists the ${name} entries of a project, newest first, a page at a time.`,
    operationId: `list${name}`,
    parameters: [
      project,
      { $ref: '#/components/parameters/LimitResultsParameter' },
      { $ref: '#/components/parameters/OffsetResultsParameter' },
      { $ref: '#/components/parameters/FiltersLabelsParameter' },
      {
        name: 'state',
        in: 'query',
        required: false,
        description: 'Only entries in this state.',
        schema: { $ref: '#/components/schemas/ResourceState' },
      },
    ],
    responses: {
      '200': ok(
        `List${name}Response`,
        { success: true, entries: [exampleEntity(r)], totalCount: 1 },
        'A page of entries.',
      ),
      ...ERRORS,
    },
  };
  const get: Record<string, unknown> = {
    tags,
    summary: `Get a ${name} entry`,
    description: `Returns one ${name} entry with its metadata and its parent, if any.`,
    operationId: `get${name}`,
    parameters: [project, idParameter],
    responses: {
      '200': ok(`Get${name}Response`, { success: true, entry: exampleEntity(r) }, 'The entry.'),
      ...ERRORS,
    },
  };
  const update: Record<string, unknown> = {
    tags,
    summary: `Update a ${name} entry`,
    description: `Changes the attributes of a ${name} entry that the request names; the others are kept.`,
    operationId: `update${name}`,
    parameters: [project, idParameter],
    requestBody: {
      required: true,
      description: 'The attributes to change.',
      content: {
        'application/json': {
          schema: { $ref: `#/components/schemas/Update${name}Request` },
          example: { name: `resource ${r}`, labels: ['blue', 'green'], state: 'archived', metadata: { owner: 'ml' } },
        },
      },
    },
    responses: {
      '200': ok(`Get${name}Response`, { success: true, entry: exampleEntity(r) }, 'The entry as stored.'),
      ...ERRORS,
    },
  };
  const remove: Record<string, unknown> = {
    tags,
    summary: `Delete a ${name} entry`,
    description: `Deletes a ${name} entry. Entries that reference it keep a dangling parent id.`,
    operationId: `delete${name}`,
    parameters: [project, idParameter],
    responses: { '200': ok('GenericApiResponse', { success: true }, 'The entry was deleted.'), ...ERRORS },
  };
  const operations: [string, string, Record<string, unknown>][] = [
    [base, 'get', list],
    [`${base}/{resourceId}`, 'get', get],
    [`${base}/{resourceId}`, 'post', update],
    [`${base}/{resourceId}`, 'delete', remove],
  ];
  if (r % 3 === 0) {
    operations.push([
      `${base}/batch/clear-metadata`,
      'post',
      {
        tags,
        summary: `Clear metadata of many ${name} entries`,
        description: `Clears one metadata key on every ${name} entry that matches the filters; large selections run as a job.`,
        operationId: `batchClearMetadata${name}`,
        parameters: [
          project,
          { $ref: '#/components/parameters/MetadataKeyParameter' },
          ...FILTERS.map(([id]) => ({ $ref: `#/components/parameters/${id}Parameter` })),
        ],
        responses: {
          '200': {
            description: 'Done at once, or a job was started.',
            content: {
              'application/json': {
                schema: {
                  anyOf: [
                    { $ref: '#/components/schemas/GenericApiResponse' },
                    { $ref: '#/components/schemas/StartJobResponse' },
                  ],
                },
                example: { success: true, id: 12873 },
              },
            },
          },
          ...ERRORS,
        },
      },
    ]);
  }
  return operations.slice(0, limit);
}

/** The schemas of resource `r` that its first `operations` operations use (all, from 3 on). */
function resourceSchemas(r: number, operations: number): Record<string, unknown> {
  const name = entity(r);
  const withSuccess = (properties: Record<string, unknown>, required: string[]): Record<string, unknown> => ({
    allOf: [{ $ref: '#/components/schemas/GenericApiResponse' }, { type: 'object', required, properties }],
  });
  const schemas: Record<string, unknown> = {
    [name]: {
      type: 'object',
      description: `A ${name} entry.`,
      required: ['id', 'name', 'state', 'created'],
      properties: {
        id: { type: 'integer', description: 'Identifier, assigned by the server.' },
        name: { type: 'string', description: 'Display name.' },
        state: { $ref: '#/components/schemas/ResourceState' },
        created: { type: 'string', format: 'date-time', description: 'When the entry was created.' },
        labels: { type: 'array', items: { type: 'string' }, description: 'Free labels.' },
        size: { type: 'integer', minimum: 0, description: 'Size in bytes.' },
        metadata: { $ref: '#/components/schemas/Metadata' },
        parent: { $ref: '#/components/schemas/ResourceReference' },
        statistics: { $ref: `#/components/schemas/${name}Statistics` },
      },
    },
    [`${name}Statistics`]: {
      type: 'object',
      description: `Usage figures of a ${name} entry.`,
      properties: {
        reads: { type: 'integer', minimum: 0, description: 'Reads in the last 30 days.' },
        writes: { type: 'integer', minimum: 0, description: 'Writes in the last 30 days.' },
        lastAccess: { type: 'string', format: 'date-time', description: 'When it was last read or written.' },
      },
    },
    [`Update${name}Request`]: {
      type: 'object',
      description: `Attributes of a ${name} entry that a client may change.`,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 200, description: 'Display name.' },
        labels: { type: 'array', maxItems: 20, items: { type: 'string', maxLength: 40 }, description: 'Free labels.' },
        state: { $ref: '#/components/schemas/ResourceState' },
        metadata: { $ref: '#/components/schemas/Metadata' },
      },
    },
    [`List${name}Response`]: withSuccess(
      {
        entries: { type: 'array', items: { $ref: `#/components/schemas/${name}` } },
        totalCount: { type: 'integer', description: 'Entries in all pages.' },
      },
      ['entries', 'totalCount'],
    ),
    [`Get${name}Response`]: withSuccess({ entry: { $ref: `#/components/schemas/${name}` } }, ['entry']),
  };
  // Unused components fail the lint (no-unused-components): list uses the first three, get the
  // next, update the request.
  if (operations < 3) delete schemas[`Update${name}Request`];
  if (operations < 2) delete schemas[`Get${name}Response`];
  return schemas;
}

const SHARED_SCHEMAS = {
  GenericApiResponse: {
    type: 'object',
    description: 'Every response carries these fields.',
    required: ['success'],
    properties: {
      success: { type: 'boolean', description: 'Whether the operation succeeded.' },
      error: { type: 'string', description: 'Set when success is false.' },
    },
  },
  StartJobResponse: {
    allOf: [
      { $ref: '#/components/schemas/GenericApiResponse' },
      {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'integer', description: 'Job identifier.' } },
      },
    ],
  },
  ResourceState: { type: 'string', enum: ['active', 'archived', 'deleted'], description: 'Lifecycle state.' },
  ResourceReference: {
    type: 'object',
    description: 'A reference to another entry.',
    required: ['id'],
    properties: { id: { type: 'integer' }, name: { type: 'string' } },
  },
  Metadata: {
    type: 'object',
    description: 'Metadata attached to an entry.',
    properties: {
      owner: { type: 'string', description: 'Team that owns the entry.' },
      revision: { type: 'integer', minimum: 0, description: 'Incremented on every change.' },
    },
  },
};

function sharedParameters(): Record<string, unknown> {
  const parameters: Record<string, unknown> = {
    ProjectIdParameter: {
      name: 'projectId',
      in: 'path',
      required: true,
      description: 'Project ID',
      schema: { type: 'integer' },
      example: 1,
    },
    LimitResultsParameter: {
      name: 'limit',
      in: 'query',
      required: false,
      description: 'Maximum number of results.',
      schema: { type: 'integer', minimum: 1, maximum: 1000 },
      example: 50,
    },
    OffsetResultsParameter: {
      name: 'offset',
      in: 'query',
      required: false,
      description: 'Offset in the results, for paging.',
      schema: { type: 'integer', minimum: 0 },
      example: 0,
    },
    MetadataKeyParameter: {
      name: 'metadataKey',
      in: 'query',
      required: true,
      description: 'The metadata key to clear.',
      schema: { type: 'string', minLength: 1 },
      example: 'reviewer',
    },
  };
  for (const [id, name, schema, description, example] of FILTERS) {
    parameters[`${id}Parameter`] = { name, in: 'query', required: false, description, schema, example };
  }
  return parameters;
}

/** The description, as a plain object. */
export function syntheticSpec(operations: number): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = { ...SHARED_SCHEMAS };
  let count = 0;
  let r = 0;
  while (count < operations) {
    const emitted = resourceOperations(r, operations - count);
    for (const [path, method, body] of emitted) {
      paths[path] = { ...paths[path], [method]: body };
      count++;
    }
    Object.assign(schemas, resourceSchemas(r, emitted.length));
    r++;
  }
  const usesFilters = Object.keys(paths).some((p) => p.endsWith('/batch/clear-metadata'));
  const parameters = sharedParameters();
  if (!usesFilters) {
    // Unused components fail the lint (no-unused-components): keep only those referenced.
    for (const key of Object.keys(parameters))
      if (key.startsWith('Filters') && key !== 'FiltersLabelsParameter') delete parameters[key];
    delete parameters.MetadataKeyParameter;
    delete schemas.StartJobResponse;
  }
  const tagCount = Math.ceil(r / RESOURCES_PER_TAG);
  return {
    openapi: '3.0.3',
    info: {
      title: `Synthetic API with ${operations} operations`,
      version: '1.0.0',
      description: 'Generated by bench/synthetic-spec.ts to measure how the pipeline scales.',
      license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
    },
    servers: [{ url: 'https://api.example.test/v1', description: 'Production.' }],
    security: [{ ApiKeyAuthentication: [] }, { JWTAuthentication: [] }],
    tags: Array.from({ length: tagCount }, (_, g) => ({
      name: `group-${g}`,
      description: `Resources ${g * RESOURCES_PER_TAG} to ${(g + 1) * RESOURCES_PER_TAG - 1}.`,
    })),
    paths,
    components: {
      securitySchemes: {
        ApiKeyAuthentication: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'An API key.' },
        JWTAuthentication: { type: 'apiKey', in: 'cookie', name: 'jwt', description: 'A session cookie.' },
      },
      parameters,
      responses: {
        BadRequest: {
          description: 'The request was malformed.',
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/GenericApiResponse' },
              example: { success: false, error: 'limit must be at most 1000' },
            },
          },
        },
        NotFound: {
          description: 'No such project or entry.',
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/GenericApiResponse' },
              example: { success: false, error: 'Not found' },
            },
          },
        },
      },
      schemas,
    },
  };
}

/** The description as YAML, as vendors publish them. */
export function syntheticSpecYaml(operations: number): string {
  return dump(syntheticSpec(operations), { noRefs: true, lineWidth: 120 });
}
