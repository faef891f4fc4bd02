import { describe, expect, it } from 'vitest';
import type { BcVendor } from '../../src/bc/schemas.js';
import { Cin7Supplier } from '../../src/cin7/schemas.js';
import {
  changedPartyFields,
  fingerprintParty,
  paymentTermTable,
  sharedFromSupplier,
  sharedFromVendor,
} from '../../src/mapping/master-fingerprint.js';
import { countryTable } from '../../src/mapping/to-bc-vendor.js';
import { toCin7SupplierInput } from '../../src/mapping/to-cin7-supplier.js';

const terms = paymentTermTable(
  [{ id: 'a0000000-0000-4000-8000-000000000030', code: '30 DAYS', displayName: '30 days' }],
  [{ Name: '30 days' }],
  [],
);
const countries = countryTable([{ id: 'c-it', code: 'IT', displayName: 'Italy' }], []);
const context = { localCurrencyCode: 'USD', terms, countries };

function buildSupplier(overrides: Record<string, unknown> = {}): Cin7Supplier {
  return Cin7Supplier.parse({
    ID: 'c1',
    Name: 'Tuscan Groves',
    Currency: 'USD',
    PaymentTerm: '30 days',
    AccountPayable: '800',
    TaxRule: 'Tax on Purchases',
    TaxNumber: 'IT-1',
    Addresses: [
      { ID: 'a1', Line1: '1 Via Roma', City: 'Firenze', Country: 'IT', Type: 'Business', DefaultForType: true },
    ],
    Contacts: [{ ID: 'k1', Name: 'Gia', Phone: '555', Email: 'gia@example.com', Default: true }],
    ...overrides,
  });
}

function buildVendor(overrides: Partial<BcVendor> = {}): BcVendor {
  return {
    id: 'v1',
    number: 'V00010',
    displayName: 'Tuscan Groves',
    addressLine1: '1 Via Roma',
    city: 'Firenze',
    country: 'IT',
    phoneNumber: '555',
    email: 'gia@example.com',
    taxRegistrationNumber: 'IT-1',
    currencyCode: 'USD',
    paymentTermsId: 'a0000000-0000-4000-8000-000000000030',
    ...overrides,
  };
}

describe('shared party fingerprint', () => {
  it('when a supplier and a vendor hold the same values, then their fingerprints are equal', () => {
    expect(fingerprintParty(sharedFromSupplier(buildSupplier(), context))).toBe(
      fingerprintParty(sharedFromVendor(buildVendor(), context)),
    );
  });

  it("when the vendor's currency is blank and the supplier's is BC's local currency, then both read as local", () => {
    expect(sharedFromVendor(buildVendor({ currencyCode: '' }), context).currencyCode).toBe('');
    expect(sharedFromSupplier(buildSupplier({ Currency: 'usd' }), context).currencyCode).toBe('');
  });

  it('when a Cin7 name is longer than BC holds, then both sides compare on the first 100 characters', () => {
    const long = 'N'.repeat(150);
    expect(fingerprintParty(sharedFromSupplier(buildSupplier({ Name: long }), context))).toBe(
      fingerprintParty(sharedFromVendor(buildVendor({ displayName: long.slice(0, 100) }), context)),
    );
  });

  it('when one field differs, then exactly that field is reported as changed', () => {
    const supplier = sharedFromSupplier(buildSupplier(), context);
    const vendor = sharedFromVendor(buildVendor({ city: 'Siena' }), context);
    expect(changedPartyFields(supplier, vendor)).toEqual(['city']);
  });

  it('when the supplier payment term has no BC counterpart, then it is kept apart instead of matching none', () => {
    expect(sharedFromSupplier(buildSupplier({ PaymentTerm: 'EOM' }), context).paymentTerms).toBe('cin7:EOM');
  });

  it('when a vendor is written to a supplier and read back, then the fingerprint survives the round trip', () => {
    const vendor = buildVendor({ displayName: 'Renamed', city: 'Pisa' });
    const existing = buildSupplier();
    const result = toCin7SupplierInput(vendor, existing, {
      ...context,
      defaults: { costingMethod: 'FIFO', uom: 'Item' },
    });
    if (!result.ok) throw new Error(result.missing.join());
    const saved = Cin7Supplier.parse({
      ...existing,
      ...result.input,
      Addresses: result.input.Addresses,
      Contacts: result.input.Contacts,
    });
    expect(fingerprintParty(sharedFromSupplier(saved, context))).toBe(
      fingerprintParty(sharedFromVendor(vendor, context)),
    );
  });
});
