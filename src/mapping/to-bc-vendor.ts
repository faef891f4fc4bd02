/** Pure translation of a Cin7 supplier into BC vendor fields, and the matching rules of DESIGN §4. */
import type { BcVendor, BcVendorInput } from '../bc/schemas.js';
import type { Cin7Address, Cin7Contact, Cin7Supplier } from '../cin7/schemas.js';

/** BC field lengths (reference/bc-api.md §5.1); longer values are cut rather than rejected by BC. */
export const vendorFieldLimits = {
  displayName: 100,
  addressLine1: 100,
  addressLine2: 50,
  city: 30,
  state: 30,
  country: 10,
  postalCode: 20,
  phoneNumber: 30,
  email: 80,
  website: 255,
  taxRegistrationNumber: 20,
} as const;
const limits = vendorFieldLimits;

function cut(value: string | undefined, max: number): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, max) : undefined;
}

/**
 * The vendor fields a Cin7 supplier determines. The business (else billing) address and the default contact
 * are used; currency is blank when it is BC's local currency.
 */
export function toBcVendorInput(supplier: Cin7Supplier, localCurrencyCode: string): BcVendorInput {
  const address = supplierAddressOf(supplier);
  const contact = supplierContactOf(supplier);
  const currency = supplier.Currency?.trim().toUpperCase();
  const input: BcVendorInput = {
    displayName: cut(supplier.Name, limits.displayName) ?? supplier.Name,
    currencyCode: currency && currency !== localCurrencyCode.toUpperCase() ? currency : '',
  };
  const fields: Array<[keyof typeof limits, string | undefined]> = [
    ['addressLine1', address?.Line1],
    ['addressLine2', address?.Line2],
    ['city', address?.City],
    ['state', address?.State],
    ['country', address?.Country],
    ['postalCode', address?.Postcode],
    ['phoneNumber', contact?.Phone ?? contact?.MobilePhone],
    ['email', contact?.Email],
    ['website', contact?.Website],
    ['taxRegistrationNumber', supplier.TaxNumber],
  ];
  for (const [field, value] of fields) {
    const text = cut(value, limits[field]);
    if (text !== undefined) input[field] = text;
  }
  return input;
}

/** The supplier address that maps to the vendor's: the default business address, else business, else billing. */
export function supplierAddressOf(supplier: Pick<Cin7Supplier, 'Addresses'>): Cin7Address | undefined {
  return (
    supplier.Addresses.find((a) => a.Type === 'Business' && a.DefaultForType) ??
    supplier.Addresses.find((a) => a.Type === 'Business') ??
    supplier.Addresses.find((a) => a.Type === 'Billing') ??
    supplier.Addresses[0]
  );
}

/** The supplier contact that maps to the vendor's phone, email and website: the default one, else the first. */
export function supplierContactOf(supplier: Pick<Cin7Supplier, 'Contacts'>): Cin7Contact | undefined {
  return supplier.Contacts.find((c) => c.Default) ?? supplier.Contacts[0];
}

/**
 * The PATCH body that makes an existing vendor match the supplier: like `toBcVendorInput`, but a field the
 * supplier no longer has is cleared (`''`) instead of left as it was, and the payment terms are set when
 * they resolved. `blocked` and `number` are never touched (see `src/sync/master-data/vendor-pair.ts`).
 */
export function toBcVendorPatch(
  supplier: Cin7Supplier,
  localCurrencyCode: string,
  paymentTermsId: string | undefined,
): BcVendorInput {
  const input = toBcVendorInput(supplier, localCurrencyCode);
  const patch: BcVendorInput = { ...input };
  for (const field of Object.keys(limits) as Array<keyof typeof limits>) {
    if (field !== 'displayName' && patch[field] === undefined) patch[field] = '';
  }
  if (paymentTermsId !== undefined) patch.paymentTermsId = paymentTermsId;
  return patch;
}

export type VendorMatch =
  | { kind: 'found'; vendor: BcVendor; by: 'tax-number' | 'name' }
  | { kind: 'none' }
  | { kind: 'ambiguous'; candidates: string[] };

/**
 * DESIGN §4 default: the BC vendor with the same tax registration number, else the same exact name.
 * More than one candidate is never guessed between.
 */
export function matchVendor(
  supplier: Pick<Cin7Supplier, 'Name' | 'TaxNumber'>,
  vendors: Iterable<BcVendor>,
): VendorMatch {
  const all = [...vendors];
  const taxNumber = normaliseTaxNumber(supplier.TaxNumber);
  if (taxNumber) {
    const byTax = all.filter((v) => normaliseTaxNumber(v.taxRegistrationNumber) === taxNumber);
    if (byTax.length === 1 && byTax[0]) return { kind: 'found', vendor: byTax[0], by: 'tax-number' };
    if (byTax.length > 1) return { kind: 'ambiguous', candidates: byTax.map((v) => v.number) };
  }
  const name = supplier.Name.trim();
  const byName = all.filter((v) => v.displayName.trim() === name);
  if (byName.length === 1 && byName[0]) return { kind: 'found', vendor: byName[0], by: 'name' };
  if (byName.length > 1) return { kind: 'ambiguous', candidates: byName.map((v) => v.number) };
  return { kind: 'none' };
}

/** Tax numbers are compared without spaces, dots and dashes, which people type inconsistently. */
function normaliseTaxNumber(value: string | undefined): string | undefined {
  const cleaned = value?.replace(/[\s.-]/g, '').toUpperCase();
  return cleaned ? cleaned : undefined;
}
