/**
 * Pure translation of a Cin7 supplier into BC vendor fields, and the matching rules of DESIGN §4.
 *
 * BC validates four of the vendor fields we send (Vendor.Table.al): the country/region code must be in its
 * Country/Region table, the phone number must hold no letters, the e-mail must be a valid address, and the
 * VAT registration number must fit one of the country's formats. A value BC would refuse for the first three
 * is left out (and reported in `leftOut`) so the vendor is still created; see `toBcVendor` for the fourth.
 */
import type { BcCodeEntity, BcVendor, BcVendorInput } from '../bc/schemas.js';
import type { Cin7Address, Cin7Contact, Cin7Supplier } from '../cin7/schemas.js';
import type { Mapping } from '../core/ports/stores.js';

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

function key(value: string | undefined): string {
  return (value ?? '').trim().toUpperCase();
}

/** BC's Country/Region table and the `country` mappings, read the same way by both directions. */
export interface CountryTable {
  /** The BC code a Cin7 country text stands for, or why it stands for none. */
  bcCodeFor(text: string): { code: string } | { code: undefined; why: string };
  /**
   * The Cin7 country text for a BC code (Cin7 stores a country name, openapi.yaml:1482): the supplier's own
   * text (`current`) when it already stands for that code, else the mapped Cin7 text, else BC's name.
   */
  cin7NameFor(code: string, current?: string): string;
}

/**
 * A `country` mapping (Cin7 text → BC code) wins; else the BC country/region whose code or name equals the
 * text (case-insensitive, trimmed). Nothing found is not guessed: the field is left blank.
 */
export function countryTable(countries: readonly BcCodeEntity[], mappings: readonly Mapping[]): CountryTable {
  const countryMappings = mappings.filter((m) => m.kind === 'country');
  const byCode = (code: string): BcCodeEntity | undefined => countries.find((c) => key(c.code) === key(code));
  const table: CountryTable = {
    bcCodeFor(text) {
      const mapped = countryMappings.find((m) => key(m.source) === key(text));
      if (mapped) {
        const target = byCode(mapped.target);
        if (target) return { code: key(target.code) };
        return {
          code: undefined,
          why:
            `its country mapping names BC code ${mapped.target}, which is not in BC's Country/Region table; ` +
            'correct the country mapping',
        };
      }
      const hit =
        byCode(text) ?? countries.find((c) => c.displayName !== undefined && key(c.displayName) === key(text));
      if (hit) return { code: key(hit.code) };
      return {
        code: undefined,
        why:
          'no BC country/region has this code or name; ' +
          `add a country mapping from "${text.trim()}" to the BC country/region code`,
      };
    },
    cin7NameFor(code, current) {
      if (current !== undefined && table.bcCodeFor(current).code === key(code)) return current.trim();
      const mapped = countryMappings.find((m) => key(m.target) === key(code));
      if (mapped) return mapped.source.trim();
      const name = byCode(code)?.displayName?.trim();
      return name !== undefined && name !== '' ? name : key(code);
    },
  };
  return table;
}

/** BC refuses a phone number holding any letter (Vendor.Table.al:219-221); digits, spaces and signs pass. */
export function phoneFitsBc(value: string): boolean {
  return !/\p{L}/u.test(value);
}

/**
 * What BC checks of a vendor e-mail (Vendor.Table.al:929-931, MailManagement.Codeunit.al:191-198,
 * EmailAccountImpl.Codeunit.al:293-303), as we read it: a single address with exactly one `@`, something
 * before it, and a domain with a dot whose last part is at least two characters. BC would also take a
 * `;`-separated list; we leave a list out too, erring towards a vendor that is created with a note.
 */
export function emailFitsBc(value: string): boolean {
  const parts = value.trim().split('@');
  if (parts.length !== 2) return false;
  const [local = '', domain = ''] = parts;
  if (!/^[^\s;,]+$/.test(local) || !/^[^\s;,]+$/.test(domain)) return false;
  const labels = domain.split('.');
  return labels.length >= 2 && labels.every((l) => l !== '') && (labels.at(-1) ?? '').length >= 2;
}

/** What translating a supplier needs from BC: its local currency and its Country/Region table. */
export interface VendorContext {
  /** BC's local currency (LCY) code. */
  localCurrencyCode: string;
  countries: CountryTable;
}

/** A supplier value BC would refuse, so the vendor field is left blank; `note` says what and how to fix it. */
export interface LeftOutField {
  field: 'country' | 'phoneNumber' | 'email';
  value: string;
  note: string;
}

const fieldNames: Record<LeftOutField['field'], string> = {
  country: 'country',
  phoneNumber: 'phone number',
  email: 'e-mail',
};

export interface VendorTranslation {
  input: BcVendorInput;
  leftOut: LeftOutField[];
}

/**
 * The vendor fields a Cin7 supplier determines. The business (else billing) address and the default contact
 * are used; currency is blank when it is BC's local currency; the country becomes BC's code.
 *
 * The VAT registration number is sent as it is, and a refusal parks the supplier (`failed`, with BC's
 * reason) instead of leaving the number out: the accepted formats live in BC's VAT Registration No. Format
 * table, which no API page exposes, so the connector cannot tell beforehand which numbers BC refuses; the
 * number is the first key vendors are matched by (DESIGN §4) and a tax field an accountant must see; and a
 * vendor written without it would differ from its supplier on a shared field for good, so every later pass
 * would try to write it again.
 */
export function toBcVendor(supplier: Cin7Supplier, context: VendorContext): VendorTranslation {
  const address = supplierAddressOf(supplier);
  const contact = supplierContactOf(supplier);
  const currency = supplier.Currency?.trim().toUpperCase();
  const input: BcVendorInput = {
    displayName: cut(supplier.Name, limits.displayName) ?? supplier.Name,
    currencyCode: currency && currency !== context.localCurrencyCode.toUpperCase() ? currency : '',
  };
  const leftOut: LeftOutField[] = [];
  const leave = (field: LeftOutField['field'], value: string, why: string): void => {
    leftOut.push({
      field,
      value,
      note: `${fieldNames[field]} "${value}" of ${supplier.Name} left out of the BC vendor: ${why}`,
    });
  };

  const countryText = address?.Country?.trim() || undefined;
  let country: string | undefined;
  if (countryText !== undefined) {
    const resolved = context.countries.bcCodeFor(countryText);
    if (resolved.code === undefined) leave('country', countryText, resolved.why);
    else country = resolved.code;
  }
  let phone = cut(contact?.Phone ?? contact?.MobilePhone, limits.phoneNumber);
  if (phone !== undefined && !phoneFitsBc(phone)) {
    leave('phoneNumber', phone, 'BC refuses a phone number with letters; correct it in Cin7');
    phone = undefined;
  }
  let email = cut(contact?.Email, limits.email);
  if (email !== undefined && !emailFitsBc(email)) {
    leave('email', email, 'BC accepts one address with a single @ and a dotted domain; correct it in Cin7');
    email = undefined;
  }

  const fields: Array<[keyof typeof limits, string | undefined]> = [
    ['addressLine1', address?.Line1],
    ['addressLine2', address?.Line2],
    ['city', address?.City],
    ['state', address?.State],
    ['country', country],
    ['postalCode', address?.Postcode],
    ['phoneNumber', phone],
    ['email', email],
    ['website', contact?.Website],
    ['taxRegistrationNumber', supplier.TaxNumber],
  ];
  for (const [field, value] of fields) {
    const text = cut(value, limits[field]);
    if (text !== undefined) input[field] = text;
  }
  return { input, leftOut };
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
 * The PATCH body that makes an existing vendor match the supplier: like `toBcVendor`, but a field the
 * supplier no longer has (or has in a form BC refuses) is cleared (`''`) instead of left as it was, and the
 * payment terms are set when they resolved. `blocked` and `number` are never touched (see
 * `src/sync/master-data/vendor-pair.ts`).
 */
export function toBcVendorPatch(
  supplier: Cin7Supplier,
  context: VendorContext,
  paymentTermsId: string | undefined,
): VendorTranslation {
  const { input, leftOut } = toBcVendor(supplier, context);
  const patch: BcVendorInput = { ...input };
  for (const field of Object.keys(limits) as Array<keyof typeof limits>) {
    if (field !== 'displayName' && patch[field] === undefined) patch[field] = '';
  }
  if (paymentTermsId !== undefined) patch.paymentTermsId = paymentTermsId;
  return { input: patch, leftOut };
}

/**
 * DESIGN §4 default: the BC vendor with the same tax registration number, else the same exact name.
 * More than one candidate is never guessed between.
 */
export function matchVendor(
  supplier: Pick<Cin7Supplier, 'Name' | 'TaxNumber'>,
  vendors: Iterable<BcVendor>,
): PartyMatch<BcVendor> {
  return matchParty({ taxNumber: supplier.TaxNumber, name: supplier.Name }, vendors, {
    taxNumber: (v) => v.taxRegistrationNumber,
    name: (v) => v.displayName,
    label: (v) => v.number,
  });
}

/** What {@link matchParty} found: one party and how, none, or the labels of several. */
export type PartyMatch<T> =
  | { kind: 'found'; party: T; by: 'tax-number' | 'name' }
  | { kind: 'none' }
  | { kind: 'ambiguous'; candidates: string[] };

/**
 * The one candidate with the same tax number, else the one with the same exact name, in either direction
 * (supplier → vendor, vendor → supplier). Several candidates are never guessed between.
 */
export function matchParty<T>(
  wanted: { taxNumber: string | undefined; name: string },
  candidates: Iterable<T>,
  fields: { taxNumber(c: T): string | undefined; name(c: T): string; label(c: T, by: 'tax-number' | 'name'): string },
): PartyMatch<T> {
  const all = [...candidates];
  const taxNumber = normaliseTaxNumber(wanted.taxNumber);
  if (taxNumber) {
    const byTax = all.filter((c) => normaliseTaxNumber(fields.taxNumber(c)) === taxNumber);
    if (byTax.length === 1 && byTax[0] !== undefined) return { kind: 'found', party: byTax[0], by: 'tax-number' };
    if (byTax.length > 1) return { kind: 'ambiguous', candidates: byTax.map((c) => fields.label(c, 'tax-number')) };
  }
  const name = wanted.name.trim();
  const byName = all.filter((c) => fields.name(c).trim() === name);
  if (byName.length === 1 && byName[0] !== undefined) return { kind: 'found', party: byName[0], by: 'name' };
  if (byName.length > 1) return { kind: 'ambiguous', candidates: byName.map((c) => fields.label(c, 'name')) };
  return { kind: 'none' };
}

/** Tax numbers are compared without spaces, dots and dashes, which people type inconsistently. */
function normaliseTaxNumber(value: string | undefined): string | undefined {
  const cleaned = value?.replace(/[\s.-]/g, '').toUpperCase();
  return cleaned ? cleaned : undefined;
}
