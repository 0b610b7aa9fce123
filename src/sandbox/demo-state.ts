/**
 * A small demo state for operators who start the sandbox by hand (`metaclear sandbox`): an Edge
 * Impulse project of 6 samples, one of 120 (a clear there starts a job, for --wait), the Oracle
 * files of the docs page's three worked examples, and the Oracle demo user, whose password is
 * checked as the service checks it. `seedOracleFiles` adds n files for a bulk trial.
 */
import type { Sandbox } from './index.js';

export const DEMO = {
  edgeImpulseProjectId: 1,
  /** A project large enough (120 samples) that clearing a key starts a job that --wait follows. */
  edgeImpulseJobProjectId: 2,
  edgeImpulseJobSamples: 120,
  /** Any non-empty value authenticates; shown for copy-paste. */
  edgeImpulseApiKey: 'ei_demo_key',
  /** HTTP Basic user that owns the files of the page's examples 1 and 2 (and the bulk files); its password is checked. */
  oracleUser: 'demo',
  oraclePassword: 'demo',
  oracleFileId: 'D3C1C1F319CFE6B102095C5DT0000000000100000001',
  /** The file, applink ID and access token of the page's example 3. */
  oracleAppLinkFileId: 'DED694950C14AFF280419F9AB5D17B95F47087F4E518',
  oracleAppLinkId:
    'LF5Bxj4TPo_p4n4qWn0tbKTicR2cTUJKv7X_ng9E7ry93rRuDokPqS1d6-wKwhb_wtcGYFDsI_cNMxeKQ-HR-FXQhiVoGRTYM_MPZY8qpICfYU94mmnMjM_cvsRhKMzc0NJgvwEJfqqDwPsAVrhc8cmg==',
  oracleAccessToken: '352FpiMmW66PeYI1Gh5b83I9CXRwZhLfYAu4TXdqpzD8uNKUBMZVVJ3ZvivUW8kQ',
  /** The bulk trial's files (--oracle-files n): `sandbox-file-1` to `sandbox-file-<n>`, owned by the demo user. */
  oracleBulkFilePrefix: 'sandbox-file-',
  oracleBulkCollection: 'CollectionA',
  oracleBulkFields: ['A1', 'A2'],
  /** The most files --oracle-files seeds (each is held in memory). */
  oracleBulkMaxFiles: 1_000_000,
} as const;

/** The Oracle demo user: from here on, Basic credentials must carry its password (or another registered user's). */
export function addDemoUser(oracle: Pick<Sandbox['oracle'], 'addUser'>): void {
  oracle.addUser({ name: DEMO.oracleUser, password: DEMO.oraclePassword });
}

/** The IDs of the bulk trial's files, 1 to n. */
export function bulkFileId(index: number): string {
  return `${DEMO.oracleBulkFilePrefix}${index}`;
}

/**
 * Adds n Oracle files for a bulk trial, owned by the demo user, each with a value in every field
 * of DEMO.oracleBulkFields (file i's value is "value <i>").
 */
export function seedOracleFiles(oracle: Pick<Sandbox['oracle'], 'addFile'>, count: number): void {
  if (!Number.isSafeInteger(count) || count < 0 || count > DEMO.oracleBulkMaxFiles) {
    throw new RangeError(
      `the number of Oracle files must be an integer from 0 to ${DEMO.oracleBulkMaxFiles}, got ${count}`,
    );
  }
  for (let i = 1; i <= count; i++) {
    const values = Object.fromEntries(DEMO.oracleBulkFields.map((field) => [field, `value ${i}`]));
    oracle.addFile({ id: bulkFileId(i), owner: DEMO.oracleUser, collections: { [DEMO.oracleBulkCollection]: values } });
  }
}

export function seedDemoState(sandbox: Pick<Sandbox, 'edgeImpulse' | 'oracle'>): void {
  addDemoUser(sandbox.oracle);
  sandbox.edgeImpulse.addSamples(DEMO.edgeImpulseProjectId, [
    { id: 1, label: 'idle', metadata: { site: 'lab', device: 'nano33' } },
    { id: 2, label: 'snake', metadata: { site: 'field', device: 'nano33' } },
    { id: 3, label: 'idle', category: 'testing', metadata: { site: 'lab' } },
    { id: 4, label: 'wave', dataType: 'image', metadata: { device: 'esp32' } },
    { id: 5, label: 'idle', enabled: false, metadata: { site: 'lab' } },
    { id: 6, label: 'snake', metadata: {} },
  ]);
  sandbox.edgeImpulse.addSamples(
    DEMO.edgeImpulseJobProjectId,
    Array.from({ length: DEMO.edgeImpulseJobSamples }, (_, i) => ({
      id: 1000 + i,
      label: i % 2 === 0 ? 'idle' : 'wave',
      metadata: { batch: '2024-q1', site: i % 3 === 0 ? 'lab' : 'field' },
    })),
  );
  sandbox.oracle.addFile({
    id: DEMO.oracleFileId,
    owner: DEMO.oracleUser,
    collections: {
      CollectionA: { A1: 'value 1', A2: 'value 2', A3: 'value 3' },
      'Personal.CollectionA': { A1: 'mine 1', A2: 'mine 2' },
    },
  });
  sandbox.oracle.addFile({
    id: DEMO.oracleAppLinkFileId,
    owner: 'someone-else',
    collections: { ApplinkCollection: { appField1: 'a', appField2: 'b' } },
    appLinks: [{ id: DEMO.oracleAppLinkId, accessToken: DEMO.oracleAccessToken, role: 'contributor' }],
  });
}
