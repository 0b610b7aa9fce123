/**
 * How a journal is read back: the settled prefix of the input (every position up to it has a
 * result), the results beyond it, and the failures inside it, from entries in completion order
 * as several interrupted runs append them; and the plan that decides, ID by ID, what to run.
 */
import { IdSequenceHash, JournalInputError, JournalPlan, JournalRecord } from '../../src/cli/journal.js';

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
