/**
 * Every filter of clear-metadata-by-key, applied by the sandbox to seeded samples: each case
 * sends one request that clears key "k" and reads back which samples lost it.
 */
import { type SampleInput, type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { clearMetadata } from './http.js';

const PROJECT = 7;

/** Five samples that differ in every filtered attribute; all carry metadata { k: 'v', keep: 'yes' }. */
const BASE: SampleInput[] = [
  {
    id: 1,
    category: 'training',
    label: 'idle',
    filename: 'idle.01.wav',
    length: 500,
    frequency: 50,
    signatureValid: true,
    enabled: true,
    dataType: 'audio',
    added: '2023-01-01T00:00:00.000Z',
  },
  {
    id: 2,
    category: 'testing',
    label: 'snake',
    filename: 'snake.02.wav',
    length: 1000,
    frequency: 100,
    signatureValid: false,
    enabled: true,
    dataType: 'audio',
    added: '2023-06-01T00:00:00.000Z',
  },
  {
    id: 3,
    category: 'validation',
    label: '3',
    filename: 'three.jpg',
    length: 1500,
    frequency: 16000,
    signatureValid: true,
    enabled: false,
    dataType: 'image',
    added: '2024-01-01T00:00:00.000Z',
  },
  {
    id: 4,
    category: 'post-processing',
    label: '4.5',
    filename: 'IDLE.04.jpg',
    length: 2000,
    frequency: 200,
    signatureValid: true,
    enabled: true,
    dataType: 'image',
    added: '2024-06-01T00:00:00.000Z',
  },
  {
    id: 12,
    category: 'training',
    label: '10',
    filename: 'snake.12.wav',
    length: 1000,
    frequency: 100,
    signatureValid: true,
    enabled: true,
    dataType: 'audio',
    added: '2025-01-01T00:00:00.000Z',
  },
];
const SAMPLES = BASE.map((sample) => ({ ...sample, metadata: { k: 'v', keep: 'yes' } }));

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.reset();
  sandbox.edgeImpulse.addSamples(PROJECT, SAMPLES);
});

/** Sends the filters, expects a plain success, and returns the ids of the samples that lost "k". */
async function cleared(query: Record<string, string>): Promise<number[]> {
  const answer = await clearMetadata(sandbox, PROJECT, query);
  expect(answer).toMatchObject({ status: 200, body: { success: true } });
  const samples = sandbox.edgeImpulse.samples(PROJECT);
  for (const sample of samples) expect(sample.metadata.keep).toBe('yes');
  return samples.filter((s) => !('k' in s.metadata)).map((s) => s.id);
}

const ALL = [1, 2, 3, 4, 12];

describe('clear-metadata-by-key filters', () => {
  it.each<[string, Record<string, string>, number[]]>([
    ['category=all takes every category', { category: 'all' }, ALL],
    ['category picks one category', { category: 'training' }, [1, 12]],
    ['category post-processing', { category: 'post-processing' }, [4]],
    ['labels: label within the JSON list', { category: 'all', labels: '["idle", "3"]' }, [1, 3]],
    ['labels: an empty list matches nothing', { category: 'all', labels: '[]' }, []],
    ['filename: the filename includes it', { category: 'all', filename: 'snake' }, [2, 12]],
    ['filename: case-sensitive', { category: 'all', filename: 'IDLE' }, [4]],
    ['maxLength: shorter than (strict)', { category: 'all', maxLength: '1000' }, [1]],
    ['minLength: longer than (strict)', { category: 'all', minLength: '1000' }, [3, 4]],
    ['minFrequency: higher than (strict)', { category: 'all', minFrequency: '100' }, [3, 4]],
    ['maxFrequency: lower than (strict)', { category: 'all', maxFrequency: '100' }, [1]],
    ['maxFrequency: a fractional number', { category: 'all', maxFrequency: '100.5' }, [1, 2, 12]],
    ['signatureValidity=valid', { category: 'all', signatureValidity: 'valid' }, [1, 3, 4, 12]],
    ['signatureValidity=invalid', { category: 'all', signatureValidity: 'invalid' }, [2]],
    ['signatureValidity=both', { category: 'all', signatureValidity: 'both' }, ALL],
    ['includeDisabled=enabled', { category: 'all', includeDisabled: 'enabled' }, [1, 2, 4, 12]],
    ['includeDisabled=disabled', { category: 'all', includeDisabled: 'disabled' }, [3]],
    ['includeDisabled=both', { category: 'all', includeDisabled: 'both' }, ALL],
    ['includeDisabled absent: both (the sandbox default)', { category: 'all' }, ALL],
    ['ids: id within the JSON list', { category: 'all', ids: '[1, 4, 99]' }, [1, 4]],
    ['excludeIds: id not within the JSON list', { category: 'all', excludeIds: '[1, 4]' }, [2, 3, 12]],
    ['ids and excludeIds together', { category: 'all', ids: '[1, 2, 3]', excludeIds: '[2]' }, [1, 3]],
    ['minLabel: numeric label >= (non-numeric labels never pass)', { category: 'all', minLabel: '4' }, [4, 12]],
    ['maxLabel: numeric label < (non-numeric labels never pass)', { category: 'all', maxLabel: '4' }, [3]],
    ['minLabel and maxLabel: a numeric range', { category: 'all', minLabel: '3', maxLabel: '10' }, [3, 4]],
    ['search: the id', { category: 'all', search: '3' }, [3]],
    ['search: the id or a filename substring', { category: 'all', search: '2' }, [2, 12]],
    ['search: filename substring, case-insensitive', { category: 'all', search: 'idle' }, [1, 4]],
    ['dataType=image', { category: 'all', dataType: 'image' }, [3, 4]],
    ['dataType=audio', { category: 'all', dataType: 'audio' }, [1, 2, 12]],
    ['minId: id >=', { category: 'all', minId: '3' }, [3, 4, 12]],
    ['maxId: id <', { category: 'all', maxId: '3' }, [1, 2]],
    ['minDate: added after (strict)', { category: 'all', minDate: '2023-06-01T00:00:00.000Z' }, [3, 4, 12]],
    ['maxDate: added before (strict)', { category: 'all', maxDate: '2023-06-01T00:00:00.000Z' }, [1]],
    [
      'minDate and maxDate: a window, with a time zone offset',
      { category: 'all', minDate: '2023-12-31T23:00:00-02:00', maxDate: '2025-01-01T00:00:00Z' },
      [4],
    ],
    ['metadata: an eq rule', { category: 'all', metadata: '[{"key":"k","op":"eq","values":["v"]}]' }, ALL],
    ['metadata: a rule nothing satisfies', { category: 'all', metadata: '[{"key":"k","op":"eq","values":["w"]}]' }, []],
    [
      'every filter at once (all must hold)',
      {
        category: 'training',
        filename: 'snake',
        signatureValidity: 'valid',
        includeDisabled: 'enabled',
        minLength: '999',
        dataType: 'audio',
        minId: '10',
        minLabel: '10',
        search: 'snake',
        labels: '["10"]',
      },
      [12],
    ],
  ])('%s', async (_name, query, expected) => {
    expect(await cleared(query)).toEqual(expected);
  });

  it('leaves samples without the key as they are and other keys in place', async () => {
    sandbox.edgeImpulse.addSamples(PROJECT, [{ id: 20, metadata: { other: 'x' } }]);
    await clearMetadata(sandbox, PROJECT, { category: 'all' });
    expect(sandbox.edgeImpulse.sample(PROJECT, 20)?.metadata).toEqual({ other: 'x' });
    expect(sandbox.edgeImpulse.sample(PROJECT, 1)?.metadata).toEqual({ keep: 'yes' });
  });

  it('touches only the project in the path', async () => {
    sandbox.edgeImpulse.addSamples(8, [{ id: 1, metadata: { k: 'v' } }]);
    await clearMetadata(sandbox, PROJECT, { category: 'all' });
    expect(sandbox.edgeImpulse.sample(8, 1)?.metadata).toEqual({ k: 'v' });
  });

  it.each<[string, Record<string, string>]>([
    ['labels', { labels: '["idle"' }],
    ['labels', { labels: '[1, 2]' }],
    ['ids', { ids: 'not json' }],
    ['ids', { ids: '["1"]' }],
    ['ids', { ids: '[1.5]' }],
    ['excludeIds', { excludeIds: '{"id": 1}' }],
    ['metadata', { metadata: '[{"key":"k"' }],
    ['metadata', { metadata: '{"key":"k","op":"eq"}' }],
  ])('refuses malformed JSON content in %s with a 400 naming it, changing nothing', async (parameter, query) => {
    const answer = await clearMetadata(sandbox, PROJECT, { category: 'all', ...query });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ success: false, error: expect.stringContaining(`query parameter '${parameter}'`) });
    expect(sandbox.edgeImpulse.samples(PROJECT).every((s) => s.metadata.k === 'v')).toBe(true);
  });

  it('answers 404 with success false for an unknown project', async () => {
    const answer = await clearMetadata(sandbox, 404, { category: 'all' });
    expect(answer).toMatchObject({ status: 404, body: { success: false, error: 'Project 404 not found' } });
  });
});
