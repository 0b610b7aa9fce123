/**
 * The hand-authored Oracle spec against its source: every example validates against its own
 * schema, and the three worked examples are those of the docs page, request and response.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { REPO } from '../helpers/workspace.js';

type Json = Record<string, unknown>;
const spec = JSON.parse(readFileSync(join(REPO, 'generated/oracle-documents/openapi.json'), 'utf8')) as Json;
const page = readFileSync(join(REPO, 'specs/oracle-documents/docs-page.txt'), 'utf8');

function pointer(doc: Json, ref: string): Json {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<Json>((node, key) => node[key] as Json, doc);
}
const deref = (node: Json): Json => (typeof node.$ref === 'string' ? pointer(spec, node.$ref) : node);

// OpenAPI 3.0 schemas are JSON Schema plus a few annotations (example, xml) that Ajv does not know.
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema(spec, 'spec');
const validate = (schema: Json, value: unknown): string[] => {
  const check = typeof schema.$ref === 'string' ? ajv.getSchema(`spec${schema.$ref}`) : ajv.compile(schema);
  if (!check) throw new Error(`cannot compile ${JSON.stringify(schema)}`);
  return check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
};

const operation = deref((spec.paths as Json)['/files/{fileId}/metadata'] as Json).delete as Json;
const requestJson = ((deref(operation.requestBody as Json).content as Json)['application/json'] as Json) ?? {};
const jsonOf = (status: string): Json =>
  (deref((operation.responses as Json)[status] as Json).content as Json)['application/json'] as Json;
const responseJson = jsonOf('200');

interface Case {
  where: string;
  schema: Json;
  value: unknown;
}
const cases: Case[] = [];
for (const [where, media] of [
  ['request body', requestJson],
  ['200 response', responseJson],
  ['400 response', jsonOf('400')],
  ['403 response', jsonOf('403')],
  ['404 response', jsonOf('404')],
  ['default response', jsonOf('default')],
] as const) {
  for (const [name, example] of Object.entries(media.examples as Json)) {
    cases.push({
      where: `${where} example ${name}`,
      schema: media.schema as Json,
      value: deref(example as Json).value,
    });
  }
}
for (const parameter of (operation.parameters as Json[]).map(deref)) {
  for (const [name, example] of Object.entries((parameter.examples as Json) ?? {})) {
    cases.push({
      where: `parameter ${parameter.name} example ${name}`,
      schema: parameter.schema as Json,
      value: deref(example as Json).value,
    });
  }
}

describe('every example in the Oracle spec', () => {
  it('covers the examples of the body, the response and the parameters', () => {
    expect(cases.map((c) => c.where)).toEqual([
      'request body example deleteFieldValues',
      'request body example deletePersonalFieldValues',
      'request body example deleteApplinkFieldValues',
      '200 response example deleteFieldValues',
      '200 response example deletePersonalFieldValues',
      '200 response example deleteApplinkFieldValues',
      '400 response example linkExpired',
      '403 response example insufficientPrivileges',
      '404 response example notFound',
      'default response example generalError',
      'parameter fileId example file',
      'parameter fileId example applinkFile',
      'parameter accessToken example applink',
      'parameter appLinkID example applink',
    ]);
  });

  it.each(cases)('validates against its schema: $where', ({ schema, value }) => {
    expect(validate(schema, value)).toEqual([]);
  });

  it('is not validated by a schema that accepts anything', () => {
    expect(validate(requestJson.schema as Json, { collection: 'CollectionA', fields: ['A1'] })).toEqual([
      '/fields must be string',
    ]);
    expect(validate(requestJson.schema as Json, { fields: 'A1' })).toEqual([
      " must have required property 'collection'",
    ]);
    expect(validate(responseJson.schema as Json, { idList: 'x' })).toEqual([
      " must have required property 'errorCode'",
    ]);
  });
});

describe('the read, assign and refresh operations', () => {
  const paths = spec.paths as Json;
  const metadata = deref(paths['/files/{fileId}/metadata'] as Json);
  const operations: [string, Json][] = [
    ['getFileMetadataCollection', metadata.get as Json],
    ['assignFileMetadataValues', metadata.post as Json],
    ['refreshAppLinkToken', deref(paths['/applinks/token'] as Json).put as Json],
  ];
  const examples: [string, Json, unknown][] = [];
  for (const [id, op] of operations) {
    const bodies = ((op.requestBody ? (deref(op.requestBody as Json).content as Json) : {}) as Json) ?? {};
    for (const [type, media] of Object.entries(bodies)) {
      for (const [name, ex] of Object.entries(((media as Json).examples as Json) ?? {})) {
        examples.push([`${id} body ${type} ${name}`, (media as Json).schema as Json, deref(ex as Json).value]);
      }
    }
    for (const [status, raw] of Object.entries(op.responses as Json)) {
      const media = ((deref(raw as Json).content as Json | undefined)?.['application/json'] as Json) ?? {};
      for (const [name, ex] of Object.entries((media.examples as Json) ?? {})) {
        examples.push([`${id} ${status} ${name}`, media.schema as Json, deref(ex as Json).value]);
      }
    }
    for (const parameter of ((op.parameters as Json[]) ?? []).map(deref)) {
      for (const [name, ex] of Object.entries((parameter.examples as Json) ?? {})) {
        examples.push([`${id} parameter ${parameter.name} ${name}`, parameter.schema as Json, deref(ex as Json).value]);
      }
    }
  }

  it('are the operations Oracle names, by operationId', () => {
    expect(operations.map(([id, op]) => [id, op.operationId, op.summary])).toEqual([
      ['getFileMetadataCollection', 'getFileMetadataCollection', 'Get File Metadata Collection'],
      ['assignFileMetadataValues', 'assignFileMetadataValues', 'Assign Values to a File Metadata Collection'],
      ['refreshAppLinkToken', 'refreshAppLinkToken', 'Refresh Applink Token'],
    ]);
  });

  it.each(examples)('example %s validates against its schema', (_where, schema, value) => {
    expect(validate(schema, value)).toEqual([]);
  });

  it("carries Oracle's example answer of Get File Metadata Collection and both forms of the assign body", () => {
    const get = examples.find(([where]) => where === 'getFileMetadataCollection 200 getCollections')?.[2];
    expect(get).toEqual({
      idList: 'D3C1C1F319CFE6B102095C5DT0000000000100000001',
      type: 'file',
      errorCode: '0',
      metadata: {
        CollectionA: { FieldA1: 'Value1', FieldA2: 'Value2' },
        CollectionB: { FieldB1: 'Value1', FieldB2: 'Value2' },
      },
    });
    const bodies = examples.filter(([where]) => where.startsWith('assignFileMetadataValues body')).map((e) => e[2]);
    expect(bodies).toEqual([
      { collection: 'CollectionA', FieldA1: 'Value1', FieldA2: 'Value2' },
      { 'CollectionA.FieldA1': 'Value1', 'CollectionA.FieldA2': 'Value2' },
    ]);
  });

  it('refuses a read answer whose collections are not objects, and a refresh without its three headers', () => {
    const answer = ((deref((metadata.get as Json).responses as Json)['200'] as Json).content as Json)[
      'application/json'
    ] as Json;
    expect(validate(answer.schema as Json, { errorCode: '0', metadata: { CollectionA: 'x' } })).toEqual([
      '/metadata/CollectionA must be object',
    ]);
    const refresh = operations[2]?.[1] as Json;
    expect((refresh.parameters as Json[]).map(deref).map((p) => [p.name, p.in, p.required])).toEqual([
      ['appLinkID', 'header', true],
      ['accessToken', 'header', true],
      ['refreshToken', 'header', true],
    ]);
  });

  it('marks what no page states as inferred', () => {
    expect((metadata.get as Json).description).toContain('Inferred');
    const direct = ((metadata.get as Json).parameters as Json[]).map(deref).find((p) => p.name === 'directAssigned');
    expect(direct?.description).toMatch(/Inferred: the page states no default/);
    expect(operations[2]?.[1].description).toContain('Inferred');
    for (const name of ['FileGetCollectionResponse', 'FileAssignValuesBody', 'ApplinkTokenResponse']) {
      expect(pointer(spec, `#/components/schemas/${name}`).description).toContain('Inferred');
    }
  });
});

describe("errorCode and the error body, as Oracle's pages state them", () => {
  const errorSchema = jsonOf('404').schema as Json;

  it.each([0, '0', -16, '-16', -26, '-26'])(
    'accepts errorCode %j in the answer and in the error body (a number in the schema table, a string in the examples)',
    (errorCode) => {
      expect(validate(responseJson.schema as Json, { idList: 'F', type: 'file', errorCode })).toEqual([]);
      expect(validate(errorSchema, { errorCode, errorKey: 'k', errorMessage: 'm' })).toEqual([]);
    },
  );

  it.each([null, true, {}, []])('refuses errorCode %j', (errorCode) => {
    expect(validate(responseJson.schema as Json, { errorCode })).not.toEqual([]);
  });

  it("answers 400, 403, 404 and any other failure with Oracle's error body, errorCode required", () => {
    for (const status of ['400', '403', '404', 'default']) {
      expect(jsonOf(status).schema).toEqual({ $ref: '#/components/schemas/ErrorResponse' });
    }
    expect(validate(errorSchema, { errorMessage: 'm' })).toEqual([" must have required property 'errorCode'"]);
    expect(Object.keys((pointer(spec, '#/components/schemas/ErrorResponse').properties as Json) ?? {})).toEqual([
      'errorCode',
      'errorKey',
      'errorMessage',
    ]);
  });

  it.each([
    ['400', '-26'],
    ['403', '-20'],
    ['404', '-16'],
    ['default', '-1'],
  ])('documents the code of the %s answer (%s)', (status, code) => {
    expect(deref((operation.responses as Json)[status] as Json).description).toContain(`errorCode ${code}`);
  });
});

describe('no constraint that no Oracle page states', () => {
  /** Every key of the spec, with its JSON path. */
  const keys = (node: unknown, path = '#'): [string, string, unknown][] =>
    typeof node !== 'object' || node === null
      ? []
      : Object.entries(node).flatMap(([k, v]) => [
          [`${path}/${k}`, k, v] as [string, string, unknown],
          ...keys(v, `${path}/${k}`),
        ]);

  it('has no length limit and no pattern', () => {
    const found = keys(spec).filter(([, k]) => ['minLength', 'maxLength', 'pattern', 'format'].includes(k));
    expect(found.map(([path]) => path)).toEqual([]);
  });

  it("says of each extension that it is metaclear's own", () => {
    const extensions = keys(spec).filter(([, k]) => k.startsWith('x-'));
    expect([...new Set(extensions.map(([, k]) => k))]).toEqual(['x-metaclear-header-dependencies']);
    expect(operation.description).toContain("`x-metaclear-header-dependencies` is metaclear's own extension");
  });

  it('names the documentation set as Oracle titles it, and lets the server carry a port', () => {
    const info = spec.info as Json;
    expect(info.title).toContain('REST API for Content Management 1.1');
    expect(info.description).toContain('"REST API for Content Management 1.1"');
    const server = (spec.servers as Json[])[0] as Json;
    expect(server.url).toBe('https://{host}/documents/api/1.1');
    expect(((server.variables as Json).host as Json).description).toMatch(/followed by ":port"/);
  });
});

describe("the docs page's three worked examples", () => {
  const section = page.slice(page.indexOf('\nExamples\n'));
  const bodies = [...section.matchAll(/Request Body\n\n(\{[\s\S]*?\n\})/g)].map((m) => JSON.parse(m[1] as string));
  const responses = [...section.matchAll(/JSON Response\n\n(\{[\s\S]*?\n\})/g)].map((m) => JSON.parse(m[1] as string));
  const names = ['deleteFieldValues', 'deletePersonalFieldValues', 'deleteApplinkFieldValues'];

  it('are read from the page', () => {
    expect(bodies).toHaveLength(3);
    expect(responses).toHaveLength(3);
  });

  it.each(names.map((name, i) => [name, i] as const))('%s matches example %#', (name, i) => {
    expect(deref((requestJson.examples as Json)[name] as Json).value).toEqual(bodies[i]);
    expect(deref((responseJson.examples as Json)[name] as Json).value).toEqual(responses[i]);
  });

  it('carries the applink headers of example 3', () => {
    const headers = Object.fromEntries(
      [...section.matchAll(/^(appLinkID|accessToken): (\S+)$/gm)].map((m) => [m[1], m[2]]),
    );
    const params = Object.fromEntries(
      (operation.parameters as Json[])
        .map(deref)
        .map((p) => [p.name, deref(((p.examples as Json | undefined)?.applink as Json) ?? {}).value]),
    );
    expect(params.appLinkID).toBe(headers.appLinkID);
    expect(params.accessToken).toBe(headers.accessToken);
  });
});
