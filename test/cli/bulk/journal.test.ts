/**
 * How a journal is read back: the settled prefix of the input (every position up to it has a
 * result), the results beyond it, and the failures inside it, from entries in completion order
 * as several interrupted runs append them; and the plan that decides, ID by ID, what to run.
 */
import {
  IdSequenceHash,
  JournalInputError,
  JournalPlan,
  JournalRecord,
  MAX_HELD_BEYOND,
} from '../../../src/cli/bulk/journal.js';
import { RUN_ENTRIES } from '../../../src/cli/bulk/journal-spill.js';

const plan = (record: JournalRecord) => new JournalPlan(record, 'the journal j', '--files-from ids.txt');

describe('JournalRecord', () => {
  it('entries out of order and a gap left by a run stopped with calls in flight: the prefix stops at the gap', () => {
    const record = new JournalRecord();
    for (const n of [2, 1, 4, 3, 6]) record.add(n, `F${n}`, true); // 5 was cancelled: no entry
    expect(record.settled).toBe(4);
    expect(record.beyond(6)).toEqual({ fileId: 'F6', ok: true });
    record.add(5, 'F5', true); // the resumed run fills the gap
    expect(record.settled).toBe(6);
    expect(record.beyond(6)).toBeUndefined();
  });

  it('a failure inside the prefix is run again, and forgotten once a later run succeeds', () => {
    const record = new JournalRecord();
    record.add(1, 'F1', true);
    record.add(2, 'F2', false);
    record.add(3, 'F3', true);
    expect(record.settled).toBe(3);
    const first = plan(record);
    expect([1, 2, 3].map((n) => first.run(n, `F${n}`))).toEqual([false, true, false]);
    expect(first.run(4, 'F4')).toBe(true);
    record.add(2, 'F2', true);
    const second = plan(record);
    expect([1, 2, 3].map((n) => second.run(n, `F${n}`))).toEqual([false, false, false]);
  });

  it('an input whose IDs differ from the journal\u2019s is refused, in the prefix or beyond it, and one that is shorter', () => {
    const record = new JournalRecord();
    for (const n of [1, 2, 3, 5]) record.add(n, `F${n}`, true);
    const inPrefix = plan(record);
    inPrefix.run(1, 'F1');
    inPrefix.run(2, 'X2');
    expect(() => inPrefix.run(3, 'F3')).toThrow(JournalInputError);
    const beyond = plan(record);
    for (const n of [1, 2, 3, 4]) beyond.run(n, `F${n}`);
    expect(() => beyond.run(5, 'X5')).toThrow(/its file ID number 5 is "X5", the journal's is "F5"/);
    const shorter = plan(record);
    shorter.run(1, 'F1');
    expect(() => shorter.end(1)).toThrow(/has 1 file IDs, but the journal j records results for its first 3/);
  });
});

describe('IdSequenceHash', () => {
  it('tells apart IDs split differently and the same IDs in another order', () => {
    const of = (ids: string[]) => {
      const hash = new IdSequenceHash();
      for (const id of ids) hash.add(id);
      return hash.value;
    };
    expect(of(['ab', 'c'])).not.toBe(of(['a', 'bc']));
    expect(of(['a', 'b'])).not.toBe(of(['b', 'a']));
    expect(of(['a', 'b'])).toBe(of(['a', 'b']));
  });
});

describe('JournalRecord holds nothing per file, whatever the gaps and the failures', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `F${i + 1}`);

  it('the first file cancelled, 100,000 after it done: at most MAX_HELD_BEYOND held, the plan runs the first only', () => {
    const record = new JournalRecord();
    for (let n = 2; n <= 100_001; n++) record.add(n, `F${n}`, true);
    expect(record.settled).toBe(0);
    expect(record.held).toBeLessThanOrEqual(MAX_HELD_BEYOND);
    const p = plan(record);
    const run = ids(100_002).filter((id, i) => p.run(i + 1, id));
    expect(run).toEqual(['F1', 'F100002']);
    p.end(100_002);
    // A spilled position is still checked against the input.
    const other = plan(record);
    for (let n = 1; n < 90_000; n++) other.run(n, `F${n}`);
    expect(() => other.run(90_000, 'X')).toThrow(/its file ID number 90000 is "X", the journal's is "F90000"/);
    record.close();
  });

  it('100,000 failures (several sorted runs of the spill): none held in memory; run again until a later run succeeds', () => {
    const record = new JournalRecord();
    // In completion order as 8 calls in flight give it: each block of 8 reversed.
    for (let block = 0; block < 100_000; block += 8) {
      for (let n = Math.min(block + 8, 100_000); n > block; n--) record.add(n, `F${n}`, false);
    }
    expect(record.settled).toBe(100_000);
    expect(record.held).toBe(0);
    expect(record.spilled).toBeGreaterThan(RUN_ENTRIES);
    const all = ids(100_000);
    const first = plan(record);
    expect(all.filter((id, i) => first.run(i + 1, id))).toHaveLength(100_000);
    // A resumed run: the even ones succeed, in reverse order.
    for (let n = 100_000; n >= 1; n -= 2) record.add(n, `F${n}`, true);
    const second = plan(record);
    const again = all.filter((id, i) => second.run(i + 1, id));
    expect(again).toHaveLength(50_000);
    expect(again.slice(0, 3)).toEqual(['F1', 'F3', 'F5']);
    record.close();
  });

  it('IDs beyond ASCII survive the spill', () => {
    const record = new JournalRecord();
    const odd = ['é', '𝄞 clef', 'tab\there', 'quote"', '\u2028'];
    for (const [i, id] of odd.entries()) record.add(i + 2, id, true);
    for (let n = 7; n < 7 + MAX_HELD_BEYOND + 10; n++) record.add(n, `F${n}`, true);
    for (const [i, id] of odd.entries()) record.add(MAX_HELD_BEYOND + 100 + i, id, false);
    const p = plan(record);
    expect(p.run(1, 'F1')).toBe(true);
    for (const [i, id] of odd.entries()) expect(p.run(i + 2, id)).toBe(false);
    for (let n = 7; n < MAX_HELD_BEYOND + 100; n++) p.run(n, n < 7 + MAX_HELD_BEYOND + 10 ? `F${n}` : `G${n}`);
    for (const [i, id] of odd.entries()) expect(p.run(MAX_HELD_BEYOND + 100 + i, id)).toBe(true);
    record.close();
  });
});
