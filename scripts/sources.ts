/** The files a Redocly resolver read, with the hash of the text it read: inputs fingerprint.ts records. */
import type { BaseResolver } from '@redocly/openapi-core';
import { sha256 } from './files.js';

export async function recordSources(resolvers: BaseResolver[], sources: Map<string, string>): Promise<void> {
  for (const resolver of resolvers) {
    for (const [ref, pending] of resolver.cache) {
      const document = await pending.catch(() => undefined);
      const source = document && 'source' in document ? document.source : undefined;
      // A file that could not be read is recorded as absent, so that creating it is seen.
      sources.set(source?.absoluteRef ?? ref, source ? sha256(source.body) : '(absent)');
    }
  }
}
