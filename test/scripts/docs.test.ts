import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript } from '../helpers/workspace.js';

it('npm run docs renders a reference page per bundled spec that loads Redoc from beside it', async () => {
  const out = mkdtempSync(join(tmpdir(), 'metaclear-docs-'));
  try {
    const result = await runScript('build-docs', ['--out', out]);
    expect(result.code).toBe(0);
    const ei = readFileSync(join(out, 'edge-impulse.html'), 'utf8');
    const oc = readFileSync(join(out, 'oracle-documents.html'), 'utf8');
    expect(ei).toContain('Clear metadata by key (multiple samples)');
    expect(ei).toContain('Get job status');
    expect(oc).toContain('Delete Values in File Metadata Collection');
    for (const page of [ei, oc]) {
      expect(page).toContain('from "./redoc.standalone.js"');
      expect(page).not.toContain('cdn.redocly.com');
    }
    expect(readFileSync(join(out, 'redoc.standalone.js')).length).toBeGreaterThan(100_000);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
