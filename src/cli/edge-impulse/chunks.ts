/** Items pulled from an async source, handed on in arrays of at most `size` (the last may be shorter). */
export async function* inChunks<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let chunk: T[] = [];
  for await (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * The items grouped by `keyOf`, each group at most `size` long: a group is handed on as soon as it
 * is full, and every group once `limit` items are waiting (or the input ends), so memory is bounded
 * by `limit` however long the input, and the number of groups stays near the number of distinct
 * keys when those keys are interleaved. An item with the identity (`idOf`) of one still waiting
 * replaces it: the later one wins, as if they had been handed on in input order.
 */
export async function* inGroups<T>(
  items: AsyncIterable<T>,
  keyOf: (item: T) => string,
  idOf: (item: T) => unknown,
  size: number,
  limit: number,
): AsyncGenerator<{ key: string; items: T[] }> {
  const groups = new Map<string, T[]>();
  const waiting = new Map<unknown, string>();
  const release = (key: string, group: T[]): { key: string; items: T[] } => {
    groups.delete(key);
    for (const item of group) waiting.delete(idOf(item));
    return { key, items: group };
  };
  for await (const item of items) {
    const id = idOf(item);
    const earlier = waiting.get(id);
    if (earlier !== undefined) {
      const group = groups.get(earlier) as T[];
      group.splice(
        group.findIndex((other) => idOf(other) === id),
        1,
      );
      if (group.length === 0) groups.delete(earlier);
    }
    const key = keyOf(item);
    const group = groups.get(key) ?? [];
    if (group.length === 0) groups.set(key, group);
    group.push(item);
    waiting.set(id, key);
    if (group.length >= size) yield release(key, group);
    else if (waiting.size >= limit) for (const [k, g] of [...groups]) yield release(k, g);
  }
  for (const [k, g] of [...groups]) yield release(k, g);
}
