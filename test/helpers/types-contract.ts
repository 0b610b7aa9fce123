/**
 * Run by test/scripts/types.test.ts in a Node process of its own (openapi-typescript's entry
 * cannot be loaded by Jest's module system): reads `{ name: document }` as JSON from the file
 * named by its argument and prints `{ name: { step, openapiTS } }`, the types the pipeline's
 * step writes and those `openapiTS()` gives for the same document.
 */
import { readFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
import type { Api } from '../../scripts/apis.js';
import { generateTypes } from '../../scripts/types.js';

const documents = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Record<
  string,
  Record<string, unknown>
>;
const out: Record<string, { step: string; openapiTS: string }> = {};
for (const [name, document] of Object.entries(documents)) {
  const api = { name, root: `${name}.yaml`, config: {} } as unknown as Api;
  out[name] = {
    step: generateTypes(api, structuredClone(document)),
    openapiTS: astToString(await openapiTS(structuredClone(document) as never, { silent: true })),
  };
}
process.stdout.write(JSON.stringify(out));
