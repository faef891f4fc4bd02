/**
 * The fields a Cin7 supplier and its BC vendor share, in one side-neutral shape, and their fingerprint
 * (DESIGN §3.6: master data never loops). Both directions compute the same shape from their own record, so
 * "what the connector last wrote" and "what the other side now holds" compare as equal strings.
 *
 * The shape uses BC's vocabulary and limits: a Cin7 value longer than BC can hold is cut the same way on
 * both sides, the currency is blank for BC's local currency, the payment term is the BC payment terms code,
 * and the country is BC's country/region code. A supplier value BC would refuse (an unknown country, a phone
 * with letters, a bad e-mail) is absent from the supplier's shape, as it is from the vendor the connector
 * wrote, so leaving it out never looks like a change. Status/blocked is not a shared field (see
 * `src/sync/master-data/vendor-pair.ts`).
 */
import type { BcCodeEntity, BcItem, BcVendor, BcVendorInput } from '../bc/schemas.js';
import type { Cin7PaymentTerm, Cin7Product, Cin7ProductInput, Cin7Supplier } from '../cin7/schemas.js';
import type { Mapping } from '../core/ports/stores.js';
import { fingerprint } from './fingerprint.js';
import { toBcVendor, vendorFieldLimits, type VendorContext } from './to-bc-vendor.js';

const textFields = [
  'addressLine1',
  'addressLine2',
  'city',
  'state',
  'country',
  'postalCode',
  'phoneNumber',
  'email',
  'website',
  'taxRegistrationNumber',
] as const satisfies ReadonlyArray<keyof BcVendorInput & keyof typeof vendorFieldLimits>;

/** The vendor fields both systems hold, as BC names them: what fingerprints compare and pairs write. */
export type SharedParty = Pick<BcVendorInput, (typeof textFields)[number]> & {
  displayName: string;
  /** Blank for BC's local currency. */
  currencyCode: string;
  /** The BC payment terms code (upper case); `cin7:<name>` / `bc:<id>` when it has no counterpart. */
  paymentTerms?: string;
};

const emptyGuid = '00000000-0000-0000-0000-000000000000';

/**
 * Payment terms on both sides: a `payment-term` mapping (Cin7 name → BC code) wins, else the BC payment
 * terms whose code or name equals the Cin7 name (case-insensitive), and back (DESIGN §4 defaults).
 */
export interface PaymentTermTable {
  /** The BC payment terms a Cin7 payment term name stands for. */
  bcTermForCin7(name: string): BcCodeEntity | undefined;
  /** The BC payment terms with this id. */
  bcTermById(id: string): BcCodeEntity | undefined;
  /** The Cin7 payment term name a BC payment terms code stands for. */
  cin7TermForBc(term: BcCodeEntity): string | undefined;
}

export function paymentTermTable(
  bcTerms: readonly BcCodeEntity[],
  cin7Terms: readonly Pick<Cin7PaymentTerm, 'Name'>[],
  mappings: readonly Mapping[],
): PaymentTermTable {
  const upper = (v: string | undefined): string => (v ?? '').trim().toUpperCase();
  const termMappings = mappings.filter((m) => m.kind === 'payment-term');
  const byCode = (code: string): BcCodeEntity | undefined => bcTerms.find((t) => upper(t.code) === upper(code));
  return {
    bcTermForCin7(name) {
      const mapped = termMappings.find((m) => upper(m.source) === upper(name));
      if (mapped) return byCode(mapped.target);
      return byCode(name) ?? bcTerms.find((t) => t.displayName !== undefined && upper(t.displayName) === upper(name));
    },
    bcTermById(id) {
      return bcTerms.find((t) => t.id.toLowerCase() === id.toLowerCase());
    },
    cin7TermForBc(term) {
      const mapped = termMappings.find((m) => upper(m.target) === upper(term.code));
      if (mapped) return mapped.source;
      const hit =
        cin7Terms.find((t) => upper(t.Name) === upper(term.code)) ??
        cin7Terms.find((t) => term.displayName !== undefined && upper(t.Name) === upper(term.displayName));
      return hit?.Name;
    },
  };
}

export interface PartyContext extends VendorContext {
  terms: PaymentTermTable;
}

function clean(value: string | undefined, max: number): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, max) : undefined;
}

function currency(value: string | undefined, localCurrencyCode: string): string {
  const code = value?.trim().toUpperCase() ?? '';
  return code === localCurrencyCode.trim().toUpperCase() ? '' : code;
}

function finish(party: SharedParty): SharedParty {
  for (const key of Object.keys(party) as Array<keyof SharedParty>) {
    if (party[key] === undefined) delete party[key];
  }
  return party;
}

/** The name, currency and text fields as BC would hold them (cut to BC's lengths), without payment terms. */
function partyFrom(
  fields: { [K in (typeof textFields)[number] | 'displayName' | 'currencyCode']?: string | undefined },
  context: PartyContext,
): SharedParty {
  const party: SharedParty = {
    displayName: clean(fields.displayName, vendorFieldLimits.displayName) ?? '',
    currencyCode: currency(fields.currencyCode, context.localCurrencyCode),
  };
  for (const field of textFields) {
    const value = clean(fields[field], vendorFieldLimits[field]);
    if (value !== undefined) party[field] = value;
  }
  return party;
}

/** The shared fields of a Cin7 supplier, as the supplier → vendor flow would write them to BC. */
export function sharedFromSupplier(supplier: Cin7Supplier, context: PartyContext): SharedParty {
  const { input } = toBcVendor(supplier, context);
  const term = supplier.PaymentTerm?.trim();
  const party = partyFrom(input, context);
  if (term) party.paymentTerms = context.terms.bcTermForCin7(term)?.code.toUpperCase() ?? `cin7:${term}`;
  return finish(party);
}

/** The shared fields of a BC vendor, as the vendor → supplier flow would write them to Cin7. */
export function sharedFromVendor(vendor: BcVendor, context: PartyContext): SharedParty {
  const party = partyFrom(vendor, context);
  const termId = vendor.paymentTermsId?.trim();
  if (termId && termId !== emptyGuid)
    party.paymentTerms = context.terms.bcTermById(termId)?.code.toUpperCase() ?? `bc:${termId.toLowerCase()}`;
  return finish(party);
}

/** The fingerprint stored in `sourceFingerprint` / `writtenFingerprint` of `supplier` and `vendor` records. */
export function fingerprintParty(party: SharedParty): string {
  return fingerprint({ kind: 'party', ...party });
}

/** The shared fields whose values differ, for the audit of a conflict or an update. */
export function changedPartyFields(before: SharedParty, after: SharedParty): Array<keyof SharedParty> {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)] as Array<keyof SharedParty>);
  return [...keys].filter((key) => (before[key] ?? '') !== (after[key] ?? '')).sort();
}

// ---------------------------------------------------------------------------------------------------------
// Products: BC → Cin7 only, so the fingerprint only spares Cin7 a write when nothing changed.

type ProductView = Pick<Cin7ProductInput, 'SKU' | 'Name' | 'Category' | 'UOM' | 'Status' | 'Barcode' | 'PriceTier1'>;

function productView(product: ProductView): Record<string, string | number | undefined> {
  const text = (v: string | undefined): string | undefined => (v?.trim() ? v.trim() : undefined);
  return {
    sku: product.SKU.trim(),
    name: text(product.Name),
    // Cin7 names of categories and units are unique case-insensitively (reference §6.5).
    category: text(product.Category)?.toLowerCase(),
    uom: text(product.UOM)?.toLowerCase(),
    status: text(product.Status),
    barcode: text(product.Barcode),
    price: product.PriceTier1,
  };
}

/** Fingerprint of the product fields the item → product flow sets, from what it sends or what Cin7 holds. */
export function fingerprintProduct(product: ProductView | Cin7Product): string {
  const view: ProductView = {
    SKU: product.SKU,
    Name: product.Name,
    Category: product.Category ?? '',
    UOM: product.UOM ?? '',
    Status: (product.Status ?? '') as ProductView['Status'],
    ...(product.Barcode !== undefined ? { Barcode: product.Barcode } : {}),
    ...(product.PriceTier1 !== undefined ? { PriceTier1: product.PriceTier1 } : {}),
  };
  return fingerprint({ kind: 'product', ...productView(view) });
}

/** Fingerprint of the BC item fields (and the SKU they go to) the item → product flow reads. */
export function fingerprintItem(item: BcItem, sku: string): string {
  return fingerprint({
    kind: 'item',
    sku,
    name: item.displayName,
    type: item.type,
    category: item.itemCategoryCode,
    unit: item.baseUnitOfMeasureCode,
    gtin: item.gtin,
    price: item.unitPrice ?? undefined,
    blocked: item.blocked ?? false,
  });
}
