/** Starts the Entra and BC simulators and a BC client wired through the real `@azure/identity`. */
import { createBcCredential } from '../../src/bc/auth.js';
import { createBcClient, createBcLimiter, type CreateBcClientOptions } from '../../src/bc/client.js';
import type { BcPurchaseInvoiceCreate } from '../../src/bc/schemas.js';
import type { BcPort } from '../../src/core/ports/bc.js';
import { FaultControl } from '../sandbox/faults.js';
import { startBcSimulator, type BcSimulator, type BcSimulatorOptions } from '../sandbox/bc/bc-simulator.js';
import { startEntraSimulator, type EntraSimulator } from '../sandbox/entra/entra-simulator.js';
import { createTrustingHttpClient } from '../sandbox/entra/trusting-http-client.js';

export const TENANT = '8a1b6f3c-2d4e-4f5a-9b6c-7d8e9f0a1b2c';
export const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
export const SECRET = 'sim-secret-value';
export const COMPANY = '5d115c9c-44e3-ea11-bb43-000d3a2feca1';

export interface Harness {
  entra: EntraSimulator;
  bc: BcSimulator;
  faults: FaultControl;
  client(overrides?: Partial<CreateBcClientOptions> & { secret?: string }): BcPort;
  close(): Promise<void>;
}

export async function startHarness(
  options: { tokenLifetimeSeconds?: number; bc?: Partial<BcSimulatorOptions> } = {},
): Promise<Harness> {
  const faults = new FaultControl(7);
  const entra = await startEntraSimulator({
    tenantId: TENANT,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    faults,
    ...(options.tokenLifetimeSeconds !== undefined ? { tokenLifetimeSeconds: options.tokenLifetimeSeconds } : {}),
  });
  const bc = await startBcSimulator({
    tenantId: TENANT,
    environment: 'production',
    companyId: COMPANY,
    validateToken: (token) => entra.isValidToken(token),
    faults,
    ...options.bc,
  });
  const httpClient = createTrustingHttpClient(entra.caCertificatePem);
  return {
    entra,
    bc,
    faults,
    client(overrides = {}) {
      const { secret, ...rest } = overrides;
      const credential = createBcCredential({
        tenantId: TENANT,
        clientId: CLIENT_ID,
        clientSecret: secret ?? SECRET,
        authorityHost: entra.authorityHost,
        httpClient,
      });
      return createBcClient({
        baseUrl: bc.baseUrl,
        tenantId: TENANT,
        environment: 'production',
        companyId: COMPANY,
        credential,
        limiter: createBcLimiter(),
        backoff: { baseMs: 20, maxMs: 200 },
        ...rest,
      });
    },
    async close() {
      await bc.close();
      await entra.close();
    },
  };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A minimal valid deep-insert body; override what the test is about. */
export function buildInvoice(overrides: Partial<BcPurchaseInvoiceCreate> = {}): BcPurchaseInvoiceCreate {
  return {
    vendorNumber: 'V100',
    vendorInvoiceNumber: 'INV-1',
    invoiceDate: '2026-03-01',
    purchaseInvoiceLines: [
      {
        sequence: 10000,
        lineType: 'Account',
        lineObjectNumber: '6100',
        description: 'Freight',
        quantity: 2,
        unitCost: 12.5,
        taxCode: 'STD',
        dimensionSetLines: [{ code: 'AREA', valueCode: 'NORTH' }],
      },
    ],
    ...overrides,
  };
}

/** Vendor V100, account 6100, dimension AREA, tax STD 10 %. */
export function seedBasics(bc: BcSimulator): void {
  bc.addTaxGroup('STD', 10);
  bc.addAccount({ number: '6100', displayName: 'Freight' });
  bc.addDimension('AREA', ['NORTH', 'SOUTH']);
  bc.addVendor({ number: 'V100', displayName: 'Contoso Supplies' });
}
