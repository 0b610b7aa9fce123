/**
 * The `metadata` filter's semantics over HTTP: rules with eq/neq, the and/or combinators
 * (including "samples with metadata keys not present in the filters are included" for `or`),
 * and `no_metadata`. Which samples matched is read from clearOperations(), because a sample
 * without metadata cannot show a cleared key.
 */
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { clearMetadata } from './http.js';

const PROJECT = 3;
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.reset();
  sandbox.edgeImpulse.addSamples(PROJECT, [
    { id: 1, metadata: {} },
    { id: 2, metadata: { foo: 'bar' } },
    { id: 3, metadata: { foo: 'baz' } },
    { id: 4, metadata: { foo: 'qux' } },
    { id: 5, metadata: { foo: 'bar', k: 'v' } },
    { id: 6, metadata: { foo: 'baz', k: 'v' } },
    { id: 7, metadata: { k: 'v' } },
    { id: 8, metadata: { site: 'x' } },
  ]);
});

async function matched(metadata: unknown[], metadataKey = 'unused'): Promise<number[]> {
  const answer = await clearMetadata(
    sandbox,
    PROJECT,
    { category: 'all', metadata: JSON.stringify(metadata) },
    { body: JSON.stringify({ metadataKey }) },
  );
  expect(answer).toMatchObject({ status: 200, body: { success: true } });
  const operations = sandbox.edgeImpulse.clearOperations(PROJECT);
  return operations[operations.length - 1]?.matchedSampleIds ?? [];
}

describe('metadata filter', () => {
  it('spec example 1: no_metadata true + and: foo in (bar, baz) AND k = v, plus samples without metadata', async () => {
    const example = [
      { no_metadata: true },
      { filters_combinator: 'and' },
      { key: 'foo', op: 'eq', values: ['bar', 'baz'] },
      { key: 'k', op: 'eq', values: ['v'] },
    ];
    expect(await matched(example, 'foo')).toEqual([1, 5, 6]);
    const metadata = Object.fromEntries(sandbox.edgeImpulse.samples(PROJECT).map((s) => [s.id, s.metadata]));
    expect(metadata).toEqual({
      1: {},
      2: { foo: 'bar' },
      3: { foo: 'baz' },
      4: { foo: 'qux' },
      5: { k: 'v' },
      6: { k: 'v' },
      7: { k: 'v' },
      8: { site: 'x' },
    });
  });

  it('spec example 2: no_metadata false + or + foo neq bar; keys the rules do not name let a sample in', async () => {
    const example = [{ no_metadata: false }, { filters_combinator: 'or' }, { key: 'foo', op: 'neq', values: ['bar'] }];
    // 1 has no metadata (filtered out); 2 has foo = bar and no other key; 5 has foo = bar but also k,
    // a key not present in the filters, so `or` includes it.
    expect(await matched(example)).toEqual([3, 4, 5, 6, 7, 8]);
  });

  it.each<[string, unknown[], number[]]>([
    [
      'and is the default combinator',
      [
        { key: 'foo', op: 'eq', values: ['bar'] },
        { key: 'k', op: 'eq' },
      ],
      [5],
    ],
    ['eq without values: the key with any value', [{ key: 'foo', op: 'eq' }], [2, 3, 4, 5, 6]],
    ['eq with empty values: the key with any value', [{ key: 'foo', op: 'eq', values: [] }], [2, 3, 4, 5, 6]],
    ['neq with values: samples without the key pass', [{ key: 'foo', op: 'neq', values: ['bar'] }], [3, 4, 6, 7, 8]],
    ['neq without values: excludes every value of the key', [{ key: 'foo', op: 'neq' }], [7, 8]],
    [
      'neq without values, no_metadata true: samples without metadata too',
      [{ no_metadata: true }, { key: 'foo', op: 'neq' }],
      [1, 7, 8],
    ],
    [
      'and: every rule must hold',
      [{ filters_combinator: 'and' }, { key: 'foo', op: 'eq', values: ['baz'] }, { key: 'k', op: 'eq', values: ['v'] }],
      [6],
    ],
    [
      'or: any rule may hold, or a key the rules do not name',
      [{ filters_combinator: 'or' }, { key: 'foo', op: 'eq', values: ['bar'] }, { key: 'k', op: 'eq', values: ['v'] }],
      [2, 5, 6, 7, 8],
    ],
    [
      'or with no_metadata true',
      [{ filters_combinator: 'or' }, { no_metadata: true }, { key: 'foo', op: 'eq', values: ['qux'] }],
      [1, 4, 5, 6, 7, 8],
    ],
    ['no_metadata true alone: every sample', [{ no_metadata: true }], [1, 2, 3, 4, 5, 6, 7, 8]],
    ['no_metadata false alone: samples with metadata', [{ no_metadata: false }], [2, 3, 4, 5, 6, 7, 8]],
    ['an empty list: samples with metadata (no_metadata defaults to false)', [], [2, 3, 4, 5, 6, 7, 8]],
    ['the last option object wins', [{ no_metadata: true }, { no_metadata: false }], [2, 3, 4, 5, 6, 7, 8]],
  ])('%s', async (_name, metadata, expected) => {
    expect(await matched(metadata)).toEqual(expected);
  });

  it('combines with the other filters (all must hold)', async () => {
    const answer = await clearMetadata(sandbox, PROJECT, {
      category: 'all',
      maxId: '6',
      metadata: JSON.stringify([{ key: 'foo', op: 'eq', values: ['bar'] }]),
    });
    expect(answer.status).toBe(200);
    expect(sandbox.edgeImpulse.clearOperations(PROJECT)).toEqual([{ metadataKey: 'k', matchedSampleIds: [2, 5] }]);
    expect(sandbox.edgeImpulse.sample(PROJECT, 5)?.metadata).toEqual({ foo: 'bar' });
  });

  it.each<[string, unknown]>([
    ['an unknown op', [{ key: 'foo', op: 'like', values: ['b'] }]],
    ['a rule without key', [{ op: 'eq', values: ['b'] }]],
    ['values that are not a list of strings', [{ key: 'foo', op: 'eq', values: 'bar' }]],
    ['numeric values', [{ key: 'foo', op: 'eq', values: [1] }]],
    ['a non-boolean no_metadata', [{ no_metadata: 'yes' }]],
    ['an unknown combinator', [{ filters_combinator: 'xor' }]],
    ['an unknown property', [{ key: 'foo', op: 'eq', value: 'bar' }]],
    ['an item that is not an object', ['foo']],
    ['an object instead of a list', { key: 'foo', op: 'eq' }],
  ])('refuses %s with a 400 naming the metadata parameter', async (_name, metadata) => {
    const answer = await clearMetadata(sandbox, PROJECT, { category: 'all', metadata: JSON.stringify(metadata) });
    expect(answer).toMatchObject({ status: 400, body: { success: false } });
    expect((answer.body as { error: string }).error).toMatch(/^query parameter 'metadata' /);
    expect(sandbox.edgeImpulse.clearOperations(PROJECT)).toEqual([]);
  });
});
