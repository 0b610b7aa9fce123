import { ValidationError } from '../../src/core/errors.js';
import { serializeFilter, serializeMetadataFilter } from '../../src/edge-impulse/filters.js';

describe('serializing the sample filter to the wire form of the spec', () => {
  it('writes list filters as JSON strings and dates as ISO date-times', () => {
    expect(
      serializeFilter('filter', {
        labels: ['idle', 'snake'],
        ids: [1, 2, 3],
        excludeIds: [4, 5, 6],
        minDate: new Date('2023-01-01T00:00:00.000Z'),
        maxDate: '2024-12-31T00:00:00+01:00',
      }),
    ).toEqual({
      labels: '["idle","snake"]',
      ids: '[1,2,3]',
      excludeIds: '[4,5,6]',
      minDate: '2023-01-01T00:00:00.000Z',
      maxDate: '2024-12-30T23:00:00.000Z',
    });
  });

  it('passes the scalar filters through unchanged', () => {
    const scalars = {
      filename: 'walk',
      maxLength: 2000,
      minLength: 100,
      minFrequency: 16.5,
      maxFrequency: 100,
      signatureValidity: 'valid',
      includeDisabled: 'enabled',
      minLabel: 0.5,
      maxLabel: 3,
      search: '12 walk',
      dataType: 'audio',
      minId: 1,
      maxId: 100,
    } as const;
    expect(serializeFilter('filter', scalars)).toEqual(scalars);
  });

  it('writes the metadata filter as the option objects followed by the rules', () => {
    expect(
      serializeMetadataFilter('metadata', {
        noMetadata: true,
        combinator: 'and',
        rules: [
          { key: 'foo', op: 'eq', values: ['bar', 'baz'] },
          { key: 'k', op: 'eq', values: ['v'] },
        ],
      }),
    ).toBe(
      JSON.stringify([
        { no_metadata: true },
        { filters_combinator: 'and' },
        { key: 'foo', op: 'eq', values: ['bar', 'baz'] },
        { key: 'k', op: 'eq', values: ['v'] },
      ]),
    );
    expect(serializeMetadataFilter('metadata', { rules: [{ key: 'foo', op: 'neq' }] })).toBe(
      '[{"key":"foo","op":"neq"}]',
    );
  });

  it.each([
    [{ labels: 'idle' }, 'filter.labels', /expected an array/],
    [{ labels: ['idle', 3] }, 'filter.labels[1]', /expected a string/],
    [{ ids: [1, 2.5] }, 'filter.ids[1]', /expected a non-negative integer/],
    [{ excludeIds: [-1] }, 'filter.excludeIds[0]', /got -1; expected a non-negative integer/],
    [{ minDate: 'yesterday' }, 'filter.minDate', /expected a valid Date or an ISO 8601 date-time string/],
    [{ maxDate: new Date(Number.NaN) }, 'filter.maxDate', /got an invalid Date/],
    [{ minDate: '2024-01-01T10:00' }, 'filter.minDate', /ISO 8601/],
    [{ signatureValidity: 'maybe' }, 'filter.signatureValidity', /expected one of "both", "valid", "invalid"/],
    [{ dataType: 'video' }, 'filter.dataType', /expected one of "audio", "image"/],
    [{ minLength: '5' }, 'filter.minLength', /expected a non-negative integer/],
    [{ minFrequency: Number.POSITIVE_INFINITY }, 'filter.minFrequency', /expected a finite number/],
    [{ filename: '' }, 'filter.filename', /got an empty string; expected a non-empty string/],
    [{ lables: ['x'] }, 'filter.lables', /unknown key; expected one of the known keys/],
    [{ metadata: { rules: [{ key: 'k', op: 'like' }] } }, 'filter.metadata.rules[0].op', /expected one of "eq", "neq"/],
    [{ metadata: { rules: [{ key: '', op: 'eq' }] } }, 'filter.metadata.rules[0].key', /non-empty string/],
    [{ metadata: { combinator: 'xor', rules: [] } }, 'filter.metadata.combinator', /expected one of "and", "or"/],
    [{ metadata: { noMetadata: 'yes', rules: [] } }, 'filter.metadata.noMetadata', /expected a boolean/],
    [{ metadata: { rules: [{ key: 'k', op: 'eq', values: [1] }] } }, 'filter.metadata.rules[0].values[0]', /a string/],
    [{ metadata: {} }, 'filter.metadata.rules', /expected an array/],
  ])('refuses %j, naming %s', (filter, field, message) => {
    let thrown: unknown;
    try {
      serializeFilter('filter', filter);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).field).toBe(field);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message.startsWith(`${field}: `)).toBe(true);
  });
});
