/**
 * A synthetic OpenAPI 3.0 description with a chosen number of operations, for the scaling
 * benchmark. Every operation looks like a real one: path parameters (one shared through
 * components, one inline), three query parameters, a request body and a 200 response whose
 * schemas live in components and reference shared schemas, a response example, 400 and 404
 * responses through shared components, a summary, a description and a tag. It passes the
 * rules of the project's redocly.yaml (recommended-strict plus its own).
 */
import { dump } from 'js-yaml';

const METHODS = ['post', 'put', 'patch'] as const;
/** Operations per tag, as vendors group their endpoints. */
const OPERATIONS_PER_TAG = 25;

function pad(i: number): string {
  return String(i).padStart(5, '0');
}

function operation(i: number): [path: string, method: string, body: Record<string, unknown>] {
  const name = `Widget${pad(i)}`;
  const method = METHODS[i % METHODS.length] as string;
  const operationId = `${method}${name}`;
  return [
    `/projects/{projectId}/widgets-${pad(i)}/{widgetId}`,
    method,
    {
      tags: [`group-${Math.floor(i / OPERATIONS_PER_TAG)}`],
      summary: `Update widget ${i}`,
      description: `Updates one widget of kind ${i} in a project. The request body replaces the attributes it names; the response is the widget as stored.`,
      operationId,
      parameters: [
        { $ref: '#/components/parameters/ProjectId' },
        {
          name: 'widgetId',
          in: 'path',
          required: true,
          description: `Identifier of the widget of kind ${i}.`,
          schema: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' },
          example: 'wdg_01H8XGJWBWBAQ4Z4C7Z3',
        },
        {
          name: 'dryRun',
          in: 'query',
          required: false,
          description: 'Validate the request without storing anything.',
          schema: { type: 'boolean', default: false },
        },
        {
          name: 'fields',
          in: 'query',
          required: false,
          description: 'Attributes to include in the response, comma-separated.',
          style: 'form',
          explode: false,
          schema: { type: 'array', items: { type: 'string', enum: ['name', 'labels', 'size', 'metadata'] } },
        },
        { $ref: '#/components/parameters/IfMatch' },
      ],
      requestBody: {
        required: true,
        description: `The attributes of widget ${i} to store.`,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}Input` } } },
      },
      responses: {
        '200': {
          description: `The widget of kind ${i} as stored.`,
          content: {
            'application/json': {
              schema: { $ref: `#/components/schemas/${name}` },
              example: {
                id: 'wdg_01H8XGJWBWBAQ4Z4C7Z3',
                name: `widget ${i}`,
                status: 'active',
                labels: ['blue'],
                size: i,
                createdAt: '2024-05-01T12:00:00Z',
                metadata: { owner: 'ops', revision: 3 },
              },
            },
          },
        },
        '400': { $ref: '#/components/responses/BadRequest' },
        '404': { $ref: '#/components/responses/NotFound' },
      },
    },
  ];
}

function schemas(i: number): Record<string, unknown> {
  const name = `Widget${pad(i)}`;
  return {
    [`${name}Input`]: {
      type: 'object',
      description: `Attributes of a widget of kind ${i} that a client may set.`,
      required: ['name'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 200, description: 'Display name.' },
        labels: { type: 'array', maxItems: 20, items: { type: 'string', maxLength: 40 }, description: 'Free labels.' },
        size: { type: 'integer', minimum: 0, maximum: 1_000_000, description: 'Size in bytes.' },
        metadata: { $ref: '#/components/schemas/Metadata' },
      },
    },
    [name]: {
      type: 'object',
      description: `A widget of kind ${i}.`,
      required: ['id', 'name', 'status', 'createdAt'],
      additionalProperties: false,
      properties: {
        id: { type: 'string', description: 'Identifier, assigned by the server.' },
        name: { type: 'string', description: 'Display name.' },
        status: { $ref: '#/components/schemas/Status' },
        labels: { type: 'array', items: { type: 'string' }, description: 'Free labels.' },
        size: { type: 'integer', minimum: 0, description: 'Size in bytes.' },
        createdAt: { type: 'string', format: 'date-time', description: 'When the widget was created.' },
        metadata: { $ref: '#/components/schemas/Metadata' },
      },
    },
  };
}

const SHARED_SCHEMAS = {
  Status: { type: 'string', enum: ['active', 'archived', 'deleted'], description: 'Lifecycle state.' },
  Metadata: {
    type: 'object',
    description: 'Metadata attached to a resource.',
    additionalProperties: false,
    properties: {
      owner: { type: 'string', description: 'Team that owns the resource.' },
      revision: { type: 'integer', minimum: 0, description: 'Incremented on every change.' },
    },
  },
  Error: {
    type: 'object',
    description: 'The body of every error response.',
    required: ['success', 'error'],
    properties: {
      success: { type: 'boolean', enum: [false], description: 'Always false.' },
      error: { type: 'string', description: 'What went wrong.' },
      requestId: { type: 'string', description: 'Identifier of the request, for support.' },
    },
  },
};

/** The description, as a plain object. */
export function syntheticSpec(operations: number): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  let componentSchemas: Record<string, unknown> = { ...SHARED_SCHEMAS };
  for (let i = 0; i < operations; i++) {
    const [path, method, body] = operation(i);
    paths[path] = { ...paths[path], [method]: body };
    componentSchemas = Object.assign(componentSchemas, schemas(i));
  }
  const tagCount = Math.ceil(operations / OPERATIONS_PER_TAG);
  return {
    openapi: '3.0.3',
    info: {
      title: `Synthetic API with ${operations} operations`,
      version: '1.0.0',
      description: 'Generated by bench/synthetic-spec.ts to measure how the pipeline scales.',
      license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
    },
    servers: [{ url: 'https://api.widgets.test/v1', description: 'Production.' }],
    security: [{ bearerAuth: [] }],
    tags: Array.from({ length: tagCount }, (_, g) => ({
      name: `group-${g}`,
      description: `Widgets of kinds ${g * OPERATIONS_PER_TAG} to ${(g + 1) * OPERATIONS_PER_TAG - 1}.`,
    })),
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token.' } },
      parameters: {
        ProjectId: {
          name: 'projectId',
          in: 'path',
          required: true,
          description: 'Numeric project identifier.',
          schema: { type: 'integer', minimum: 1 },
          example: 42,
        },
        IfMatch: {
          name: 'If-Match',
          in: 'header',
          required: false,
          description: 'Entity tag of the version the update is based on.',
          schema: { type: 'string' },
        },
      },
      responses: {
        BadRequest: {
          description: 'The request was malformed.',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        NotFound: {
          description: 'No such project or widget.',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
      schemas: componentSchemas,
    },
  };
}

/** The description as YAML, as vendors publish them. */
export function syntheticSpecYaml(operations: number): string {
  return dump(syntheticSpec(operations), { noRefs: true, lineWidth: 120 });
}
