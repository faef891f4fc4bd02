/**
 * A throw-away certificate authority and a server certificate for 127.0.0.1 / localhost, made with the
 * system `openssl` CLI so no npm package with install scripts is needed. Generated once per process.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCertificates {
  /** PEM of the CA that signed the server certificate: what clients must trust. */
  caCertificatePem: string;
  serverCertificatePem: string;
  serverKeyPem: string;
}

let cached: Promise<TestCertificates> | undefined;

/** The CA and server certificate of this process (created on first use, valid for two days). */
export function getTestCertificates(): Promise<TestCertificates> {
  cached ??= createTestCertificates().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function createTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'entra-sim-ca-'));
  const path = (name: string): string => join(dir, name);
  // EC P-256 keys: generated in milliseconds, unlike RSA, which keeps the test start fast.
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    await run('openssl', [
      'req',
      '-x509',
      ...ecKey,
      '-keyout',
      path('ca.key'),
      '-out',
      path('ca.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=cin7-bc-connector test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    await run('openssl', [
      'req',
      ...ecKey,
      '-keyout',
      path('server.key'),
      '-out',
      path('server.csr'),
      '-subj',
      '/CN=127.0.0.1',
    ]);
    await writeFile(
      path('server.ext'),
      [
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth',
        '',
      ].join('\n'),
    );
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      path('server.csr'),
      '-CA',
      path('ca.pem'),
      '-CAkey',
      path('ca.key'),
      '-CAcreateserial',
      '-out',
      path('server.pem'),
      '-days',
      '2',
      '-extfile',
      path('server.ext'),
    ]);
    const [caCertificatePem, serverCertificatePem, serverKeyPem] = await Promise.all([
      readFile(path('ca.pem'), 'utf8'),
      readFile(path('server.pem'), 'utf8'),
      readFile(path('server.key'), 'utf8'),
    ]);
    return { caCertificatePem, serverCertificatePem, serverKeyPem };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
