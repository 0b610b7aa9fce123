/**
 * listAll against a scripted server over HTTP: it pages by the server's totalCount (not by a short
 * page), says when the count moves under it, and stops rather than loop on a server that ignores
 * the cursor.
 */

import { type ListingChange, ListingOrderError, listAll } from '../../src/edge-impulse/listing.js';
import { createEdgeImpulseClient } from '../../src/index.js';
import { type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterEach(() => server.settle());
afterAll(() => server.close());

const client = () =>
  createEdgeImpulseClient({ auth: { apiKey: 'ei-list-key' }, baseUrl: server.url, retry: { retries: 0 } });
const page = (ids: number[], totalCount: number) => ({
  status: 200,
  body: { success: true, totalCount, samples: ids.map((id) => ({ id, metadata: {} })) },
});
const queryOf = (url: string) => Object.fromEntries(new URL(url, 'http://x').searchParams);

async function listed(changes: ListingChange[] = []): Promise<number[]> {
  const ids: number[] = [];
  for await (const { samples } of listAll(client(), {
    projectId: 1,
    category: 'training',
    pageSize: 5,
    onChange: (change) => changes.push(change),
  })) {
    ids.push(...samples.map((s) => s.id));
  }
  return ids;
}

describe('listAll', () => {
  it('goes on after a page shorter than asked until the count is covered, by maxId below the last ID', async () => {
    server.reply(page([9, 8, 7], 8), page([6, 5, 4], 5), page([3, 1], 2));
    expect(await listed()).toEqual([9, 8, 7, 6, 5, 4, 3, 1]);
    expect(server.requests.map((r) => [queryOf(r.url).maxId, queryOf(r.url).limit, queryOf(r.url).sortBy])).toEqual([
      [undefined, '5', 'id-desc'],
      ['7', '5', 'id-desc'],
      ['4', '5', 'id-desc'],
    ]);
  });

  it('says when the count moves under it (samples added or removed), and ends', async () => {
    const changes: ListingChange[] = [];
    // 8 counted; after 3, 5 are left, but the server counts 7; then an empty page though 4 are counted.
    server.reply(page([9, 8, 7], 8), page([6, 5, 4], 7), page([], 4));
    expect(await listed(changes)).toEqual([9, 8, 7, 6, 5, 4]);
    expect(changes).toEqual([
      { expected: 5, counted: 7 },
      { expected: 4, counted: 0 },
    ]);
    expect(server.requests).toHaveLength(3);
  });

  it('stops on a server that ignores the cursor instead of listing forever', async () => {
    server.reply(page([9, 8, 7], 100));
    await expect(listed()).rejects.toThrow(ListingOrderError);
    expect(server.requests).toHaveLength(2);
  });
});

describe('listAll, a server that counts the whole selection on every page', () => {
  it('is covered once it has listed that many, and says nothing changed', async () => {
    const changes: ListingChange[] = [];
    server.reply(page([9, 8, 7], 7), page([6, 5, 4], 7), page([3], 7));
    expect(await listed(changes)).toEqual([9, 8, 7, 6, 5, 4, 3]);
    expect(changes).toEqual([]);
    expect(server.requests).toHaveLength(3);
  });
});
