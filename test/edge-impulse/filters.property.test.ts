/**
 * Property-based round trips over real HTTP: an arbitrary filter (or fields list) goes out
 * through the client, and what the sandbox received parses back to the same value.
 */
import fc from 'fast-check';
import { createEdgeImpulseClient, createOracleDocumentsClient, type SampleFilter } from '../../src/index.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { jsonIntegerArray, jsonStringArray } from '../../src/sandbox/json-query-parameters.js';
import { parseMetadataFilter } from '../../src/sandbox/metadata-filter.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
  sandbox.edgeImpulse.addProject(1);
});
afterAll(() => sandbox.close());

const text = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
  .filter((s) => s.trim() !== '' && ![...s].some((c) => (c.codePointAt(0) ?? 0) < 32 || c === '\u007f'));
const label = fc.string({ unit: 'grapheme', maxLength: 10 });
const id = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const date = fc.date({
  min: new Date('1970-01-01T00:00:00Z'),
  max: new Date('2100-01-01T00:00:00Z'),
  noInvalidDate: true,
});
const rule = fc.record(
  {
    key: text,
    op: fc.constantFrom('eq' as const, 'neq' as const),
    values: fc.array(label, { maxLength: 4 }),
  },
  { requiredKeys: ['key', 'op'] },
);
const metadata = fc.record(
  {
    combinator: fc.constantFrom('and' as const, 'or' as const),
    noMetadata: fc.boolean(),
    rules: fc.array(rule, { maxLength: 5 }),
  },
  { requiredKeys: ['rules'] },
);
const filter: fc.Arbitrary<SampleFilter> = fc.record(
  {
    labels: fc.array(label, { maxLength: 6 }),
    ids: fc.array(id, { maxLength: 300 }),
    excludeIds: fc.array(id, { maxLength: 20 }),
    minDate: date,
    maxDate: date.map((d) => d.toISOString()),
    metadata,
    filename: text,
    search: text,
    minLength: fc.nat(),
    maxFrequency: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }),
    dataType: fc.constantFrom('audio' as const, 'image' as const),
  },
  { requiredKeys: [] },
);

/** The filter as the sandbox understood it, rebuilt from the query it received. */
function parsedBack(query: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (key === 'category') continue;
    if (key === 'labels') out[key] = jsonStringArray(key, value);
    else if (key === 'ids' || key === 'excludeIds') out[key] = jsonIntegerArray(key, value);
    else if (key === 'minDate' || key === 'maxDate') out[key] = new Date(value).toISOString();
    else if (key === 'metadata') out[key] = parseMetadataFilter(value);
    else if (['minLength', 'maxFrequency'].includes(key)) out[key] = Number(value);
    else out[key] = value;
  }
  return out;
}

/** The filter as the user meant it, in the same normal form. */
function expected(f: SampleFilter): Record<string, unknown> {
  const out: Record<string, unknown> = { ...f };
  // A number travels as its decimal string, which has no negative zero.
  if (Object.is(f.maxFrequency, -0)) out.maxFrequency = 0;
  if (f.minDate !== undefined) out.minDate = new Date(f.minDate).toISOString();
  if (f.maxDate !== undefined) out.maxDate = new Date(f.maxDate).toISOString();
  if (f.metadata) {
    out.metadata = {
      rules: f.metadata.rules.map((r) => ({ key: r.key, op: r.op, values: r.values ?? [] })),
      noMetadata: f.metadata.noMetadata ?? false,
      combinator: f.metadata.combinator ?? 'and',
    };
  }
  return out;
}

it('every filter reaches the sandbox and parses back to what was meant', async () => {
  const client = createEdgeImpulseClient({ auth: { apiKey: 'k' }, baseUrl: sandbox.edgeImpulseBaseUrl });
  await fc.assert(
    fc.asyncProperty(filter, async (f) => {
      sandbox.requests.length = 0;
      await client.clearMetadataByKey({ projectId: 1, category: 'all', metadataKey: 'k', filter: f });
      const [request] = sandbox.requests;
      expect(request?.status).toBe(200);
      expect(parsedBack(request?.query ?? {})).toEqual(expected(f));
    }),
    { numRuns: 150 },
  );
});

it('every fields list reaches Oracle as the comma-joined list, and splits back to the same names', async () => {
  const client = createOracleDocumentsClient({
    baseUrl: sandbox.oracleBaseUrl,
    auth: { username: 'operator', password: 'p' },
  });
  const field = text.filter((s) => !s.includes(',') && s.trim() === s);
  await fc.assert(
    fc.asyncProperty(fc.array(field, { minLength: 1, maxLength: 20 }), text, async (fields, collection) => {
      sandbox.reset();
      sandbox.oracle.addFile({
        id: 'F',
        owner: 'operator',
        collections: { [collection]: Object.fromEntries(fields.map((f) => [f, 'v'])) },
      });
      await client.deleteFileMetadataValues({ fileId: 'F', collection, fields });
      const body = sandbox.requests[0]?.body as { collection: string; fields: string };
      expect(body.collection).toBe(collection);
      expect(body.fields.split(',')).toEqual(fields);
      expect(sandbox.oracle.file('F')?.collections[collection]).toEqual({});
    }),
    { numRuns: 100 },
  );
});
