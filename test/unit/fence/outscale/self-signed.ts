// SPDX-License-Identifier: Apache-2.0
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';

/** A test server's certificate: the PEM files (for ca_file) and their text (for the server's TLS options). */
export interface SelfSigned {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: string;
  readonly key: string;
}

/**
 * A self-signed P-256 certificate, valid one day, for NAME (an IP address or a DNS name: its CN and
 * its one subjectAltName), made with openssl into DIR as NAME.pem and NAME.key.
 */
export function selfSigned(dir: string, name: string): SelfSigned {
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}.key`);
  const san = isIP(name) ? `IP:${name}` : `DNS:${name}`;
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile];
  const subject = ['-subj', `/CN=${name}`, '-addext', `subjectAltName=${san}`];
  execFileSync('openssl', ['req', '-x509', '-days', '1', ...key, ...subject, '-out', certFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  return { certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}
