/**
 * The catalogue (test/fixtures/api-changes/catalogue.ts): each change applied to one of the
 * two real bundles, judged by the gate's engine (compareBundles, then the gate's decision with
 * --fail-on breaking) and by `redocly diff` from the project's own dependencies, run in an
 * empty temporary folder so that its default rules apply. The gate must give every case its
 * verdict; where Redocly rates a change otherwise, the case must say so and why.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { compareBundles, highestImpact } from '../../scripts/api-changes.js';
import { decide } from '../../scripts/api-gate.js';
import {
  CATALOGUE,
  type CatalogueCase,
  type Doc,
  type Impact,
  type Verdict,
} from '../fixtures/api-changes/catalogue.js';
import { REPO } from '../helpers/workspace.js';

const run = promisify(execFile);
const REDOCLY = join(REPO, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');

const bundles = new Map<string, string>();
function bundle(api: string): Doc {
  if (!bundles.has(api)) bundles.set(api, readFileSync(join(REPO, 'generated', api, 'openapi.json'), 'utf8'));
  return JSON.parse(bundles.get(api) as string);
}

function sides(c: CatalogueCase): { before: Doc; after: Doc } {
  const before = bundle(c.api);
  c.setup?.(before);
  const after = structuredClone(before);
  c.change(after);
  return { before, after };
}

/** Redocly's rating: the highest impact among the changes `redocly diff --format json` found. */
async function redoclyRating(before: Doc, after: Doc): Promise<Verdict> {
  const dir = mkdtempSync(join(tmpdir(), 'metaclear-catalogue-'));
  try {
    writeFileSync(join(dir, 'base.json'), JSON.stringify(before));
    writeFileSync(join(dir, 'revision.json'), JSON.stringify(after));
    const { stdout } = await run(
      process.execPath,
      [REDOCLY, 'diff', 'base.json', 'revision.json', '--format', 'json', '--fail-on', 'none'],
      { cwd: dir, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
    );
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { summary: Record<Impact, number> };
    for (const impact of ['major', 'minor', 'patch'] as const) if (report.summary[impact] > 0) return impact;
    return 'none';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

it('holds at least 40 changes, across both APIs', () => {
  expect(CATALOGUE.length).toBeGreaterThanOrEqual(40);
  expect(new Set(CATALOGUE.map((c) => c.api))).toEqual(new Set(['edge-impulse', 'oracle-documents']));
  expect(new Set(CATALOGUE.map((c) => c.name)).size).toBe(CATALOGUE.length);
});

describe.each(CATALOGUE.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  it(`the gate: ${c.impact === 'major' ? 'refused (breaking)' : `passed`}, impact ${c.impact}`, async () => {
    const { before, after } = sides(c);
    const changes = await compareBundles(before, after);
    const gate = decide([{ api: c.api, status: 'changed', changes }], 'breaking', undefined);
    expect({ refused: gate.refused.length > 0, impact: highestImpact(changes) ?? 'none' }).toEqual({
      refused: c.impact === 'major',
      impact: c.impact,
    });
  });

  it(c.redocly ? `redocly diff rates it ${c.redocly.impact}: ${c.redocly.why}` : 'redocly diff agrees', async () => {
    const { before, after } = sides(c);
    const rating = await redoclyRating(before, after);
    if (c.redocly) {
      expect(c.redocly.why.length).toBeGreaterThan(20);
      expect(rating).toBe(c.redocly.impact);
      expect(rating).not.toBe(c.impact);
    } else {
      expect(rating).toBe(c.impact);
    }
  }, 60_000);
});
