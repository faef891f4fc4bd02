/**
 * Pure translation of a BC vendor into the Cin7 supplier body (reference/cin7-core-api.md §4), and the
 * reverse of the DESIGN §4 matching rule (same tax number, else the same exact name).
 *
 * Cin7 requires `Currency`, `PaymentTerm`, `AccountPayable` and `TaxRule` on every supplier. For a new
 * supplier they come from the vendor where BC has them and from the `CIN7_DEFAULT_*` settings otherwise;
 * an update keeps the supplier's own account and tax rule. Anything that resolves to nothing is listed as a
 * gap (`payment-term:<code>`, `setting:CIN7_DEFAULT_TAX_RULE`), never guessed.
 */
import type { BcVendor } from '../bc/schemas.js';
import type { Cin7Supplier, Cin7SupplierInput } from '../cin7/schemas.js';
import type { MasterDataSettings } from '../core/settings.js';
import type { PaymentTermTable } from './master-fingerprint.js';
import {
  emailFitsBc,
  matchParty,
  phoneFitsBc,
  supplierAddressOf,
  supplierContactOf,
  type CountryTable,
  type PartyMatch,
} from './to-bc-vendor.js';

export interface Cin7SupplierContext {
  localCurrencyCode: string;
  terms: PaymentTermTable;
  countries: CountryTable;
  defaults: MasterDataSettings['cin7Defaults'];
}

export type Cin7SupplierTranslation = { ok: true; input: Cin7SupplierInput } | { ok: false; missing: string[] };

const emptyGuid = '00000000-0000-0000-0000-000000000000';

function text(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** The POST (no `existing`) or PUT body that makes the Cin7 supplier match the vendor's shared fields. */
export function toCin7SupplierInput(
  vendor: BcVendor,
  existing: Cin7Supplier | undefined,
  context: Cin7SupplierContext,
): Cin7SupplierTranslation {
  const required = requiredFields(vendor, existing, context);
  if (!required.ok) return required;
  const input: Cin7SupplierInput = {
    ...(existing ? { ID: existing.ID } : {}),
    Name: vendor.displayName.trim(),
    ...required.fields,
    // Status is not a shared field: an update keeps Cin7's, a new supplier is active (see vendor-pair.ts).
    Status: existing?.Status?.toLowerCase() === 'deprecated' ? 'Deprecated' : 'Active',
    TaxNumber: text(vendor.taxRegistrationNumber) ?? '',
  };
  const address = addressFor(vendor, existing, context);
  if (address) input.Addresses = [address];
  const contact = contactFor(vendor, existing);
  if (contact) input.Contacts = [contact];
  return { ok: true, input };
}

type RequiredFields = Pick<Cin7SupplierInput, 'Currency' | 'PaymentTerm' | 'AccountPayable' | 'TaxRule'>;

/**
 * The four fields Cin7 requires on a supplier: from the vendor, else the supplier, else the CIN7_DEFAULT_*
 * settings.
 */
function requiredFields(
  vendor: BcVendor,
  existing: Cin7Supplier | undefined,
  context: Cin7SupplierContext,
): { ok: true; fields: RequiredFields } | { ok: false; missing: string[] } {
  const missing: string[] = [];
  const { defaults } = context;
  const currency =
    text(vendor.currencyCode)?.toUpperCase() ??
    text(context.localCurrencyCode)?.toUpperCase() ??
    text(defaults.currency);
  if (currency === undefined) missing.push('setting:CIN7_DEFAULT_CURRENCY');
  let paymentTerm: string | undefined;
  const termId = text(vendor.paymentTermsId);
  if (termId !== undefined && termId !== emptyGuid) {
    const term = context.terms.bcTermById(termId);
    paymentTerm = term ? context.terms.cin7TermForBc(term) : undefined;
    if (paymentTerm === undefined)
      missing.push(
        `payment-term:${term?.code ?? termId} ` +
          '(BC payment terms with no Cin7 payment term of that name; add a payment-term mapping)',
      );
  } else {
    paymentTerm = text(existing?.PaymentTerm) ?? text(defaults.paymentTerm);
    if (paymentTerm === undefined) missing.push('setting:CIN7_DEFAULT_PAYMENT_TERM');
  }
  const accountPayable = text(existing?.AccountPayable) ?? text(defaults.accountPayable);
  if (accountPayable === undefined) missing.push('setting:CIN7_DEFAULT_ACCOUNT_PAYABLE');
  const taxRule = text(existing?.TaxRule) ?? text(defaults.taxRule);
  if (taxRule === undefined) missing.push('setting:CIN7_DEFAULT_TAX_RULE');
  if (
    missing.length > 0 ||
    currency === undefined ||
    paymentTerm === undefined ||
    accountPayable === undefined ||
    taxRule === undefined
  )
    return { ok: false, missing };
  return {
    ok: true,
    fields: { Currency: currency, PaymentTerm: paymentTerm, AccountPayable: accountPayable, TaxRule: taxRule },
  };
}

/**
 * Cin7 requires Line1 and Country on an address (reference §4): without them the address is left alone.
 * Cin7 stores a country name (openapi.yaml:1482), BC a code: the code goes back as the supplier's own text
 * or BC's name. A blank BC country whose Cin7 text BC could not hold (left out on the way in) keeps that text.
 */
function addressFor(
  vendor: BcVendor,
  existing: Cin7Supplier | undefined,
  context: Cin7SupplierContext,
): NonNullable<Cin7SupplierInput['Addresses']>[number] | undefined {
  const address = existing ? supplierAddressOf(existing) : undefined;
  const line1 = text(vendor.addressLine1);
  const bcCountry = text(vendor.country);
  const cin7Country = text(address?.Country);
  const country =
    bcCountry !== undefined
      ? context.countries.cin7NameFor(bcCountry, cin7Country)
      : cin7Country !== undefined && context.countries.bcCodeFor(cin7Country).code === undefined
        ? cin7Country
        : undefined;
  if (line1 === undefined || country === undefined) return undefined;
  return {
    ...(address?.ID ? { ID: address.ID } : {}),
    Line1: line1,
    Line2: text(vendor.addressLine2) ?? '',
    City: text(vendor.city) ?? '',
    State: text(vendor.state) ?? '',
    Postcode: text(vendor.postalCode) ?? '',
    Country: country,
    Type: address?.Type === 'Billing' || address?.Type === 'Shipping' ? address.Type : 'Business',
    DefaultForType: true,
  };
}

/** A phone or e-mail BC refused stays in Cin7 while the vendor's field is blank (it was left out, not cleared). */
function contactFor(
  vendor: BcVendor,
  existing: Cin7Supplier | undefined,
): NonNullable<Cin7SupplierInput['Contacts']>[number] | undefined {
  const contact = existing ? supplierContactOf(existing) : undefined;
  const keptPhone = text(contact?.Phone);
  const keptEmail = text(contact?.Email);
  const phone =
    text(vendor.phoneNumber) ?? (keptPhone !== undefined && !phoneFitsBc(keptPhone) ? keptPhone : undefined);
  const email = text(vendor.email) ?? (keptEmail !== undefined && !emailFitsBc(keptEmail) ? keptEmail : undefined);
  const website = text(vendor.website);
  if (contact?.ID === undefined && phone === undefined && email === undefined && website === undefined)
    return undefined;
  return {
    ...(contact?.ID !== undefined ? { ID: contact.ID } : {}),
    // Cin7 requires a contact name; a new contact is named after the vendor.
    Name: text(contact?.Name) ?? vendor.displayName.trim(),
    Phone: phone ?? '',
    Email: email ?? '',
    Website: website ?? '',
    Default: true,
  };
}

/** DESIGN §4 in reverse: the Cin7 supplier with the vendor's tax number, else its exact name; never a guess. */
export function matchSupplier(
  vendor: Pick<BcVendor, 'displayName' | 'taxRegistrationNumber'>,
  suppliers: Iterable<Cin7Supplier>,
): PartyMatch<Cin7Supplier> {
  return matchParty({ taxNumber: vendor.taxRegistrationNumber, name: vendor.displayName }, suppliers, {
    taxNumber: (s) => s.TaxNumber,
    name: (s) => s.Name,
    // Suppliers sharing a name are told apart by their ID.
    label: (s, by) => (by === 'name' ? s.ID : s.Name),
  });
}
