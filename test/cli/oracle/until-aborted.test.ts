/** untilAborted: the bulk run's wait for a reader, ended by a stop, leaving nothing behind per file. */
import { getEventListeners } from 'node:events';
import { untilAborted } from '../../../src/cli/oracle/bulk.js';

it('resolves with the work and removes its abort listener, however many times it is used', async () => {
  const stop = new AbortController();
  for (let i = 0; i < 1000; i++) await untilAborted(Promise.resolve(), stop.signal);
  expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
});

it('rejects with the work’s error, and removes its listener', async () => {
  const stop = new AbortController();
  await expect(untilAborted(Promise.reject(new Error('EPIPE')), stop.signal)).rejects.toThrow('EPIPE');
  expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
});

it('resolves when the signal aborts first, though the work never settles', async () => {
  const stop = new AbortController();
  const waiting = untilAborted(new Promise<void>(() => undefined), stop.signal);
  expect(getEventListeners(stop.signal, 'abort')).toHaveLength(1);
  stop.abort();
  await expect(waiting).resolves.toBeUndefined();
  await expect(untilAborted(new Promise<void>(() => undefined), stop.signal)).resolves.toBeUndefined();
});
