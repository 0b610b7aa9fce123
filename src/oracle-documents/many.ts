/**
 * Runs one call per item with bounded concurrency. Items are pulled from the input only as
 * workers free up, so a long input (an iterator over 100,000 files) never becomes 100,000
 * pending requests; results come back in input order, one per item, never as a rejection.
 */
import { MetaclearError, ValidationError } from '../core/errors.js';
import { requireInteger } from '../core/validate.js';

export type ManyResult<R> = { fileId: string; ok: true; response: R } | { fileId: string; ok: false; error: Error };

export interface ManyProgress {
  /** Items finished so far (succeeded + failed). */
  done: number;
  succeeded: number;
  failed: number;
}

export interface ManyOptions {
  /** Calls in flight at once (default 8). */
  concurrency?: number;
  /** Stops the run: calls in flight are aborted, the items not yet run are reported as cancelled. */
  signal?: AbortSignal;
  onProgress?: (progress: ManyProgress) => void;
  /** Called with each item's result as soon as it is known (in completion order), with its input index. */
  onResult?: (result: ManyResult<unknown>, index: number) => void;
}

export const DEFAULT_CONCURRENCY = 8;

/** Reported for the items a cancelled run did not finish. */
export class CancelledError extends MetaclearError {
  override name = 'CancelledError';
  constructor(reason: unknown) {
    super(`cancelled before it finished${reason instanceof Error ? `: ${reason.message}` : ''}`, { cause: reason });
  }
}

function fileIdOf(item: unknown): string {
  const id = (item as { fileId?: unknown } | null)?.fileId;
  return typeof id === 'string' ? id : String(id);
}

export async function runMany<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  call: (item: T, signal: AbortSignal) => Promise<R>,
  options: ManyOptions = {},
): Promise<ManyResult<R>[]> {
  const concurrency = requireInteger('options.concurrency', options.concurrency ?? DEFAULT_CONCURRENCY, 1);
  if (items === null || typeof items !== 'object' || !(Symbol.iterator in items || Symbol.asyncIterator in items)) {
    throw new ValidationError('items', 'an iterable or async iterable of items');
  }
  const iterator =
    Symbol.asyncIterator in items
      ? (items as AsyncIterable<T>)[Symbol.asyncIterator]()
      : (items as Iterable<T>)[Symbol.iterator]();
  const controller = new AbortController();
  // Each call in flight has its own controller, aborted from here: the run's signal carries no
  // listener per call, however many run at once.
  const inFlight = new Set<AbortController>();
  const onAbort = (): void => {
    controller.abort(options.signal?.reason);
    for (const call of inFlight) call.abort(options.signal?.reason);
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  const results: ManyResult<R>[] = [];
  const progress: ManyProgress = { done: 0, succeeded: 0, failed: 0 };
  let next = 0;
  // Pulling from the iterator is serialized: one worker at a time takes the next item.
  let pulling: Promise<unknown> = Promise.resolve();
  const take = (): Promise<{ index: number; item: T } | undefined> => {
    const turn = pulling.then(async () => {
      const step = await iterator.next();
      return step.done ? undefined : { index: next++, item: step.value };
    });
    pulling = turn.catch(() => undefined);
    return turn;
  };

  const record = (index: number, result: ManyResult<R>): void => {
    results[index] = result;
    options.onResult?.(result, index);
    progress.done++;
    if (result.ok) progress.succeeded++;
    else progress.failed++;
    options.onProgress?.({ ...progress });
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      const taken = await take();
      if (!taken) return;
      const fileId = fileIdOf(taken.item);
      if (controller.signal.aborted) {
        record(taken.index, { fileId, ok: false, error: new CancelledError(controller.signal.reason) });
        continue;
      }
      const own = new AbortController();
      inFlight.add(own);
      try {
        record(taken.index, { fileId, ok: true, response: await call(taken.item, own.signal) });
      } catch (error) {
        const e = error instanceof Error ? error : new Error(String(error));
        record(taken.index, { fileId, ok: false, error: controller.signal.aborted ? new CancelledError(e) : e });
      } finally {
        inFlight.delete(own);
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  return results;
}
