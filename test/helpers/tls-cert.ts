/**
 * A self-signed certificate for 127.0.0.1, localhost and any extra names, made at run time with
 * the openssl CLI (nothing secret is kept in the repository). The directory is removed when the
 * process exits.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsCert {
  key: string;
  cert: string;
  /** Path of the certificate file, for NODE_EXTRA_CA_CERTS in a child process. */
  certPath: string;
}

export function makeTlsCert(extraNames: readonly string[] = []): TlsCert {
  const dir = mkdtempSync(join(tmpdir(), 'metaclear-tls-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  const names = ['IP:127.0.0.1', 'DNS:localhost', ...extraNames.map((name) => `DNS:${name}`)].join(',');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      `subjectAltName=${names}`,
      '-keyout',
      keyPath,
      '-out',
      certPath,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), certPath };
}
