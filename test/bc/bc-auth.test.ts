import { afterEach, describe, expect, it } from 'vitest';
import { ClientAssertionCredential } from '@azure/identity';
import { BC_SCOPE } from '../../src/bc/auth.js';
import { createBcClient, createBcLimiter } from '../../src/bc/client.js';
import { systemClock, type Clock } from '../../src/core/clock.js';
import { CLIENT_ID, COMPANY, TENANT, startHarness, type Harness } from './bc-harness.js';
import { createTrustingHttpClient } from '../sandbox/entra/trusting-http-client.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function movingClock(): Clock & { advance(ms: number): void } {
  let offset = 0;
  return { ...systemClock, now: () => Date.now() + offset, advance: (ms) => (offset += ms) };
}

describe('BC auth through @azure/identity and the Entra simulator', () => {
  it('when 60-second tokens near expiry on a moving clock, then the client refreshes before BC rejects them', async () => {
    h = await startHarness({ tokenLifetimeSeconds: 60 });
    const clock = movingClock();
    const client = h.client({ clock });
    await client.listCompanies();
    await client.listCompanies();
    expect(h.entra.issuedTokens).toBe(1);
    clock.advance(35_000); // inside the refresh window (half of a 60 s lifetime)
    await client.listCompanies();
    expect(h.entra.issuedTokens).toBe(2);
    expect(h.faults.count({ system: 'bc', status: 401 })).toBe(0);
  });

  it('when BC rejects an expired token with 401, then one refresh and one retry succeed', async () => {
    h = await startHarness({ tokenLifetimeSeconds: 60 });
    const client = h.client();
    await client.listCompanies();
    h.entra.expireAllTokens();
    const companies = await client.listCompanies();
    expect(companies).toHaveLength(1);
    expect(h.entra.issuedTokens).toBe(2);
    expect(h.faults.count({ system: 'bc', status: 401 })).toBe(1);
  });

  it('when BC rejects a one-hour token MSAL still caches, then a claims challenge fetches a new one and the call succeeds', async () => {
    h = await startHarness({ tokenLifetimeSeconds: 3600 });
    const client = h.client();
    await client.listCompanies();
    h.entra.expireAllTokens(); // as if revoked: valid by its expiry, rejected by BC
    const companies = await client.listCompanies();
    expect(companies).toHaveLength(1);
    expect(h.entra.issuedTokens).toBe(2);
    expect(h.faults.count({ system: 'bc', status: 401 })).toBe(1);
  });

  it('when concurrent calls start without a token, then they share one token request', async () => {
    h = await startHarness();
    const client = h.client();
    await Promise.all([client.listCompanies(), client.listCompanies(), client.listCompanies()]);
    expect(h.entra.issuedTokens).toBe(1);
  });

  it('when the federated path sends a client assertion, then Entra issues a BC token', async () => {
    h = await startHarness();
    const credential = new ClientAssertionCredential(TENANT, CLIENT_ID, () => Promise.resolve('eyJ.eyJ.sig'), {
      authorityHost: h.entra.authorityHost,
      disableInstanceDiscovery: true,
      httpClient: createTrustingHttpClient(h.entra.caCertificatePem),
    });
    const token = await credential.getToken(BC_SCOPE);
    expect(h.entra.isValidToken(token.token)).toBe(true);
    const client = createBcClient({
      baseUrl: h.bc.baseUrl,
      tenantId: TENANT,
      environment: 'production',
      companyId: COMPANY,
      credential,
      limiter: createBcLimiter(),
    });
    await expect(client.getCompanyInformation()).resolves.toEqual({
      displayName: 'CRONUS USA, Inc.',
      currencyCode: 'USD',
    });
  });
});
