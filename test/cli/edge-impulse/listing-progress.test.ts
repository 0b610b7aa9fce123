/**
 * The Edge Impulse clear's listing (what its backup is made of) shows its progress: the built CLI
 * against the sandbox over HTTP, stderr to a file with the bar asked for; the bar counts the samples
 * listed of the server's count, page by page, and ends at it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '../../../src/sandbox/index.js';
import { builtCli, runPrinted } from '../../helpers/cli.js';

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  builtCli();
  sandbox = await startSandbox({ jobThreshold: 100_000 });
});
afterAll(() => sandbox?.close());
beforeEach(() => {
  sandbox.reset();
  dir = mkdtempSync(join(tmpdir(), 'metaclear-listing-progress-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('the bar counts the samples listed, page by page (500 a page), and ends at the server’s count', async () => {
  sandbox.edgeImpulse.addSamples(
    3,
    Array.from({ length: 1800 }, (_, i) => ({ id: i + 1, metadata: i % 2 === 0 ? { site: 'lab' } : {} })),
  );
  const env = { EDGE_IMPULSE_API_KEY: 'ei-listing-key', EDGE_IMPULSE_BASE_URL: sandbox.edgeImpulseBaseUrl };
  const run = await runPrinted(
    'metaclear edge-impulse clear-metadata --project 3 --category training --key site --backup b.jsonl --progress bar 2> progress.log',
    { cwd: dir, env, timeoutMs: 60_000 },
  );
  expect(run.code).toBe(0);
  const drawn = readFileSync(join(dir, 'progress.log'), 'utf8')
    .split('\r\x1b[2K')
    .map((s) => / (\d+)\/1800 samples listed|(\d+)\/1800 /.exec(s))
    .filter((m) => m !== null)
    .map((m) => Number(m?.[1] ?? m?.[2]));
  expect(drawn.at(-1)).toBe(1800);
  expect(drawn).toEqual([...drawn].sort((a, b) => a - b));
  expect(sandbox.edgeImpulse.samples(3).filter((s) => 'site' in s.metadata)).toEqual([]);
});
