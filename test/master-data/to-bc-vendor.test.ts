import { describe, expect, it } from 'vitest';
import type { BcVendor } from '../../src/bc/schemas.js';
import { Cin7Supplier } from '../../src/cin7/schemas.js';
import type { Mapping } from '../../src/core/ports/stores.js';
import {
  fingerprintParty,
  paymentTermTable,
  sharedFromSupplier,
  sharedFromVendor,
} from '../../src/mapping/master-fingerprint.js';
import { countryTable, emailFitsBc, phoneFitsBc, toBcVendor } from '../../src/mapping/to-bc-vendor.js';
import { toCin7SupplierInput } from '../../src/mapping/to-cin7-supplier.js';

const bcCountries = [
  { id: 'c-nz', code: 'NZ', displayName: 'New Zealand' },
  { id: 'c-gb', code: 'GB', displayName: 'United Kingdom' },
];
const aotearoa: Mapping = { kind: 'country', source: 'Aotearoa', target: 'NZ' };

function context(mappings: Mapping[] = []) {
  return {
    localCurrencyCode: 'NZD',
    countries: countryTable(bcCountries, mappings),
    terms: paymentTermTable([], [], []),
  };
}

function buildSupplier(overrides: { Country?: string; Phone?: string; Email?: string } = {}): Cin7Supplier {
  return Cin7Supplier.parse({
    ID: 's1',
    Name: 'Kiwi Orchards',
    Currency: 'NZD',
    AccountPayable: '800',
    TaxRule: 'Tax on Purchases',
    TaxNumber: '',
    Addresses: [{ Line1: '1 Orchard Rd', Country: overrides.Country ?? 'New Zealand', Type: 'Business' }],
    Contacts: [
      {
        ID: 'k1',
        Name: 'Aroha',
        Phone: overrides.Phone ?? '+64 9 555 0100',
        Email: overrides.Email ?? 'aroha@kiwi.example',
      },
    ],
  });
}

function buildVendor(overrides: Partial<BcVendor> = {}): BcVendor {
  return {
    id: 'v1',
    number: 'V00010',
    displayName: 'Kiwi Orchards',
    addressLine1: '1 Orchard Rd',
    country: 'NZ',
    phoneNumber: '+64 9 555 0100',
    email: 'aroha@kiwi.example',
    currencyCode: '',
    ...overrides,
  };
}

describe('Cin7 country text → BC country/region code', () => {
  it.each([
    ['New Zealand', 'NZ'],
    ['  new zealand ', 'NZ'],
    ['nz', 'NZ'],
    ['United Kingdom', 'GB'],
  ])('when Cin7 holds %j, then the vendor gets BC code %s', (text, code) => {
    expect(countryTable(bcCountries, []).bcCodeFor(text)).toEqual({ code });
  });

  it('when a country mapping names the Cin7 text, then its BC code wins', () => {
    expect(countryTable(bcCountries, [aotearoa]).bcCodeFor('aotearoa ')).toEqual({ code: 'NZ' });
  });

  it('when a country mapping names a code BC does not have, then no code and the reason says to correct the mapping', () => {
    const result = countryTable(bcCountries, [{ kind: 'country', source: 'Aotearoa', target: 'NZL' }]).bcCodeFor(
      'Aotearoa',
    );
    expect(result.code).toBeUndefined();
    expect(result).toMatchObject({ why: expect.stringMatching(/NZL.*correct the country mapping/) as unknown });
  });

  it('when a BC code goes back to Cin7, then the supplier keeps its own text for it, else the mapped text, else BC’s name', () => {
    const table = countryTable(bcCountries, [aotearoa]);
    expect(table.cin7NameFor('NZ', 'nz')).toBe('nz');
    expect(table.cin7NameFor('NZ', 'United Kingdom')).toBe('Aotearoa');
    expect(table.cin7NameFor('GB')).toBe('United Kingdom');
  });
});

describe('what BC would refuse is left out of the vendor', () => {
  it('when the country is unknown to BC, then the vendor country is blank and the note names it and the country mapping', () => {
    const { input, leftOut } = toBcVendor(buildSupplier({ Country: 'Atlantis' }), context());
    expect(input.country).toBeUndefined();
    expect(input.addressLine1).toBe('1 Orchard Rd');
    expect(leftOut).toEqual([
      {
        field: 'country',
        value: 'Atlantis',
        note: expect.stringMatching(
          /^country "Atlantis" of Kiwi Orchards left out.*add a country mapping from "Atlantis"/,
        ) as unknown,
      },
    ]);
  });

  it('when the phone has letters, then it is left out with a note naming the phone number', () => {
    const { input, leftOut } = toBcVendor(buildSupplier({ Phone: 'ask for Bob' }), context());
    expect(input.phoneNumber).toBeUndefined();
    expect(input.email).toBe('aroha@kiwi.example');
    expect(leftOut.map((l) => l.note)).toEqual([expect.stringMatching(/^phone number "ask for Bob" .*letters/)]);
  });

  it('when the e-mail is not an address BC accepts, then it is left out with a note naming the e-mail', () => {
    const { input, leftOut } = toBcVendor(buildSupplier({ Email: 'aroha at kiwi' }), context());
    expect(input.email).toBeUndefined();
    expect(leftOut.map((l) => l.field)).toEqual(['email']);
  });

  it.each([
    ['+64 (9) 555-0100 ext. 2', false],
    ['0800 KIWI', false],
    ['+64 9 555 0100', true],
  ])('when the phone is %j, then BC accepts it: %s', (phone, accepted) => {
    expect(phoneFitsBc(phone)).toBe(accepted);
  });

  it.each([
    ['ap@kiwi.co.nz', true],
    ['ap@kiwi', false],
    ['ap@kiwi.n', false],
    ['ap@@kiwi.nz', false],
    ['@kiwi.nz', false],
    ['a p@kiwi.nz', false],
    ['ap@kiwi.nz; ar@kiwi.nz', false],
  ])('when the e-mail is %j, then it counts as accepted by BC: %s', (email, accepted) => {
    expect(emailFitsBc(email)).toBe(accepted);
  });

  it('when values were left out of the vendor, then supplier and vendor fingerprints still agree', () => {
    const supplier = buildSupplier({ Country: 'Atlantis', Phone: 'ask for Bob', Email: 'nope' });
    const written = buildVendor({ country: '', phoneNumber: '', email: '' });
    expect(fingerprintParty(sharedFromSupplier(supplier, context()))).toBe(
      fingerprintParty(sharedFromVendor(written, context())),
    );
  });

  it('when a country name is mapped to its code, then supplier and vendor fingerprints agree', () => {
    expect(fingerprintParty(sharedFromSupplier(buildSupplier({ Country: 'Aotearoa' }), context([aotearoa])))).toBe(
      fingerprintParty(sharedFromVendor(buildVendor(), context([aotearoa]))),
    );
  });
});

describe('BC vendor → Cin7 supplier', () => {
  const defaults = {
    costingMethod: 'FIFO',
    uom: 'Item',
    accountPayable: '800',
    taxRule: 'Tax',
    paymentTerm: '30 days',
  };

  it("when a new supplier is made from a vendor, then its address carries BC's country name, not the code", () => {
    const result = toCin7SupplierInput(buildVendor(), undefined, { ...context(), defaults });
    if (!result.ok) throw new Error(result.missing.join());
    expect(result.input.Addresses?.[0]?.Country).toBe('New Zealand');
  });

  it('when the vendor is blank where Cin7 held values BC refused, then the supplier keeps them', () => {
    const existing = buildSupplier({ Country: 'Atlantis', Phone: 'ask for Bob', Email: 'nope' });
    const vendor = buildVendor({ displayName: 'Kiwi Orchards Ltd', country: '', phoneNumber: '', email: '' });
    const result = toCin7SupplierInput(vendor, existing, { ...context(), defaults });
    if (!result.ok) throw new Error(result.missing.join());
    expect(result.input.Addresses?.[0]?.Country).toBe('Atlantis');
    expect(result.input.Contacts?.[0]).toMatchObject({ Phone: 'ask for Bob', Email: 'nope' });
  });
});
