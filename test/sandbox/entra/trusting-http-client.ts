/**
 * An `HttpClient` for `@azure/identity` that trusts one extra CA (the Entra simulator's) without turning
 * TLS verification off anywhere: every request gets an `https.Agent` whose `ca` is the system roots plus
 * the test CA, and the SDK's own default client sends it.
 */
import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';

/** A default Azure SDK HTTP client whose TLS trust is the system roots plus `caCertificatePem`. */
export function createTrustingHttpClient(caCertificatePem: string): HttpClient {
  const agent = new Agent({ ca: [...rootCertificates, caCertificatePem], keepAlive: true });
  const inner = createDefaultHttpClient();
  return {
    sendRequest(request) {
      request.agent ??= agent;
      return inner.sendRequest(request);
    },
  };
}
