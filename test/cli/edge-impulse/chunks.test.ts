/** inGroups: the restore's grouping of backup entries by value, bounded in memory. */
import { inGroups } from '../../../src/cli/edge-impulse/chunks.js';

type Entry = { id: number; value: string };

async function* source(entries: Entry[], seen: { pulled: number }): AsyncGenerator<Entry> {
  for (const entry of entries) {
    seen.pulled++;
    yield entry;
  }
}

const groupsOf = async (entries: Entry[], size: number, limit: number, seen = { pulled: 0 }) => {
  const out: { key: string; ids: number[]; pulledBefore: number }[] = [];
  for await (const group of inGroups(
    source(entries, seen),
    (e) => e.value,
    (e) => e.id,
    size,
    limit,
  )) {
    out.push({ key: group.key, ids: group.items.map((e) => e.id), pulledBefore: seen.pulled });
  }
  return out;
};

const interleaved = (n: number, values: number): Entry[] =>
  Array.from({ length: n }, (_, i) => ({ id: i, value: `v${i % values}` }));

it('groups interleaved values across the input: one group per value when each fits', async () => {
  const groups = await groupsOf(interleaved(30, 3), 10, 1000);
  expect(groups.map((g) => [g.key, g.ids.length])).toEqual([
    ['v0', 10],
    ['v1', 10],
    ['v2', 10],
  ]);
});

it('hands a group on as soon as it is full, and never makes one longer than size', async () => {
  const groups = await groupsOf(interleaved(25, 1), 10, 1000);
  expect(groups.map((g) => [g.ids.length, g.pulledBefore])).toEqual([
    [10, 10],
    [10, 20],
    [5, 25],
  ]);
});

it('holds at most limit items: once limit are waiting, every group is handed on', async () => {
  const seen = { pulled: 0 };
  const groups = await groupsOf(interleaved(40, 4), 100, 8, seen);
  // Every release happens once 8 items wait: groups of 2 per value, released after 8, 16, 24, ... pulls.
  expect(groups.every((g) => g.ids.length === 2)).toBe(true);
  expect(new Set(groups.map((g) => g.pulledBefore))).toEqual(new Set([8, 16, 24, 32, 40]));
  expect(groups.flatMap((g) => g.ids).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
});

it('a later item with the identity of one still waiting replaces it', async () => {
  const groups = await groupsOf(
    [
      { id: 1, value: 'a' },
      { id: 2, value: 'a' },
      { id: 1, value: 'b' },
    ],
    10,
    100,
  );
  expect(groups.map((g) => [g.key, g.ids])).toEqual([
    ['a', [2]],
    ['b', [1]],
  ]);
});
