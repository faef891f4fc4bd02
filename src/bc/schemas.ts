/**
 * zod shapes of what Business Central API v2.0 returns (reference/bc-api.md). Field names as BC spells them.
 * Unknown fields are tolerated (stripped).
 */
import { z } from 'zod';

const OptionalText = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined)
  .optional();
const ETag = z
  .string()
  .optional()
  .transform((v) => v ?? undefined)
  .optional();

/**
 * BC sends an enum member by its XML-encoded name: each character an XML name cannot hold becomes `_xHHHH_`
 * (a blank option is `_x0020_`, `Non-Inventory` is `Non_x002D_Inventory`, `In Review` is `In_x0020_Review`).
 * Decoded here, at the boundary, so the rest of the code compares with BC's captions.
 */
export function decodeBcEnum(value: string): string {
  return value.replace(/_x([0-9A-Fa-f]{4})_/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** A list BC may leave out or send as null (an `$expand` it did not run): empty either way. */
function listOrEmpty<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);
}

const OptionalEnum = z
  .string()
  .nullish()
  .transform((v) => (v === null || v === undefined ? undefined : decodeBcEnum(v)))
  .optional();

export const BcCompany = z.object({ id: z.string(), name: z.string(), displayName: OptionalText });
export type BcCompany = z.infer<typeof BcCompany>;

export const BcVendor = z.object({
  '@odata.etag': ETag,
  id: z.string(),
  number: z.string(),
  displayName: z.string(),
  addressLine1: OptionalText,
  addressLine2: OptionalText,
  city: OptionalText,
  state: OptionalText,
  country: OptionalText,
  postalCode: OptionalText,
  phoneNumber: OptionalText,
  email: OptionalText,
  website: OptionalText,
  taxRegistrationNumber: OptionalText,
  currencyCode: OptionalText,
  paymentTermsId: OptionalText,
  blocked: OptionalEnum,
  lastModifiedDateTime: OptionalText,
});
export type BcVendor = z.infer<typeof BcVendor>;

/** Writable vendor fields (POST and PATCH). */
export interface BcVendorInput {
  number?: string;
  displayName?: string;
  addressLine1?: string;
  addressLine2?: string;
  city?: string;
  state?: string;
  country?: string;
  postalCode?: string;
  phoneNumber?: string;
  email?: string;
  website?: string;
  taxRegistrationNumber?: string;
  currencyCode?: string;
  paymentTermsId?: string;
  blocked?: ' ' | 'Payment' | 'All';
}

export const BcItem = z.object({
  '@odata.etag': ETag,
  id: z.string(),
  number: z.string(),
  displayName: z.string(),
  type: OptionalEnum,
  itemCategoryCode: OptionalText,
  blocked: z.boolean().nullish(),
  gtin: OptionalText,
  unitPrice: z.number().nullish(),
  unitCost: z.number().nullish(),
  baseUnitOfMeasureCode: OptionalText,
  lastModifiedDateTime: OptionalText,
});
export type BcItem = z.infer<typeof BcItem>;

export const BcAccount = z.object({
  id: z.string(),
  number: z.string(),
  displayName: z.string(),
  category: OptionalText,
  accountType: OptionalEnum,
  directPosting: z.boolean().nullish(),
  blocked: z.boolean().nullish(),
});
export type BcAccount = z.infer<typeof BcAccount>;

export const BcDimension = z.object({ id: z.string(), code: z.string(), displayName: OptionalText });
export type BcDimension = z.infer<typeof BcDimension>;

export const BcDimensionValue = z.object({
  id: z.string(),
  code: z.string(),
  dimensionId: z.string(),
  displayName: OptionalText,
});
export type BcDimensionValue = z.infer<typeof BcDimensionValue>;

export const BcCodeEntity = z.object({ id: z.string(), code: z.string(), displayName: OptionalText });
/** paymentTerms, currencies, taxGroups, unitsOfMeasure, countriesRegions: all `id`, `code`, `displayName`. */
export type BcCodeEntity = z.infer<typeof BcCodeEntity>;

export const BcPurchaseInvoice = z.object({
  '@odata.etag': ETag,
  id: z.string(),
  number: z.string(),
  invoiceDate: OptionalText,
  postingDate: OptionalText,
  dueDate: OptionalText,
  vendorId: OptionalText,
  vendorNumber: OptionalText,
  vendorName: OptionalText,
  vendorInvoiceNumber: OptionalText,
  payToVendorNumber: OptionalText,
  currencyCode: OptionalText,
  pricesIncludeTax: z.boolean().nullish(),
  totalAmountExcludingTax: z.number().nullish(),
  totalTaxAmount: z.number().nullish(),
  totalAmountIncludingTax: z.number().nullish(),
  /**
   * `Draft` before posting; `In Review` while an approval is pending; `Open`, `Paid`, `Canceled`, `Corrective`
   * after.
   */
  status: z.string().transform(decodeBcEnum),
  lastModifiedDateTime: OptionalText,
});
export type BcPurchaseInvoice = z.infer<typeof BcPurchaseInvoice>;

/** A dimension set line; `id` is the dimension's id, the key of a PATCH (APIV2DimensionSetLines.Page.al). */
export const BcDimensionSetLine = z.object({
  '@odata.etag': ETag,
  id: OptionalText,
  code: z.string(),
  valueCode: OptionalText,
});
export type BcDimensionSetLine = z.infer<typeof BcDimensionSetLine>;

export const BcPurchaseInvoiceLine = z.object({
  id: z.string(),
  sequence: z.number(),
  lineType: z.string().transform(decodeBcEnum),
  lineObjectNumber: OptionalText,
  description: OptionalText,
  quantity: z.number().nullish(),
  unitCost: z.number().nullish(),
  discountPercent: z.number().nullish(),
  taxCode: OptionalText,
  unitOfMeasureCode: OptionalText,
  amountIncludingTax: z.number().nullish(),
  dimensionSetLines: listOrEmpty(BcDimensionSetLine),
});
export type BcPurchaseInvoiceLine = z.infer<typeof BcPurchaseInvoiceLine>;

export const BcPurchaseInvoiceWithLines = BcPurchaseInvoice.extend({
  purchaseInvoiceLines: listOrEmpty(BcPurchaseInvoiceLine),
});
export type BcPurchaseInvoiceWithLines = z.infer<typeof BcPurchaseInvoiceWithLines>;

/**
 * The header fields both purchase document pages take on a create: `vendorNumber`, `postingDate`, `dueDate`
 * and `currencyCode` (APIV2PurchaseInvoices.Page.al:106, :54, :74, :388; APIV2PurchaseCreditMemos.Page.al:109,
 * :71, :83, :327).
 */
interface BcPurchaseDocumentCreate {
  vendorNumber: string;
  postingDate?: string;
  dueDate?: string;
  /** Blank for BC's local currency. */
  currencyCode?: string;
}

/** The deep-insert body: header, lines and line dimensions in one request (DESIGN §3.3). */
export interface BcPurchaseInvoiceCreate extends BcPurchaseDocumentCreate {
  vendorInvoiceNumber: string;
  invoiceDate: string;
  pricesIncludeTax?: boolean;
  purchaseInvoiceLines: BcPurchaseInvoiceLineCreate[];
}

export interface BcPurchaseInvoiceLineCreate {
  sequence: number;
  lineType: 'Account' | 'Item';
  lineObjectNumber: string;
  description: string;
  quantity: number;
  /** BC's JSON name for Direct Unit Cost (reference §4.1). */
  unitCost: number;
  discountPercent?: number;
  taxCode?: string;
  /** Item lines only: without it BC takes the item's purchase unit (PurchaseLine.Table.al:4828-4831). */
  unitOfMeasureCode?: string;
  dimensionSetLines?: Array<{ code: string; valueCode: string }>;
}

/**
 * A purchase credit memo (APIV2PurchaseCreditMemos.Page.al): the invoice's header with `creditMemoDate` (:59) and
 * `vendorCreditMemoNumber` (:134), plus `invoiceId` / `invoiceNumber` (:464, :492), the posted invoice it applies to.
 */
export const BcPurchaseCreditMemo = BcPurchaseInvoice.omit({ invoiceDate: true, vendorInvoiceNumber: true }).extend({
  creditMemoDate: OptionalText,
  vendorCreditMemoNumber: OptionalText,
  invoiceId: OptionalText,
  invoiceNumber: OptionalText,
});
export type BcPurchaseCreditMemo = z.infer<typeof BcPurchaseCreditMemo>;

/** Credit memo lines have the invoice line's fields (APIV2PurchCrMemoLines.Page.al:30-275). */
export const BcPurchaseCreditMemoWithLines = BcPurchaseCreditMemo.extend({
  purchaseCreditMemoLines: listOrEmpty(BcPurchaseInvoiceLine),
});
export type BcPurchaseCreditMemoWithLines = z.infer<typeof BcPurchaseCreditMemoWithLines>;

/**
 * The credit memo deep insert. No `pricesIncludeTax`: the page does not take it (Editable = false,
 * APIV2PurchaseCreditMemos.Page.al:403-406). `invoiceId` makes posting apply the memo to that posted invoice.
 */
export interface BcPurchaseCreditMemoCreate extends BcPurchaseDocumentCreate {
  vendorCreditMemoNumber: string;
  creditMemoDate: string;
  invoiceId?: string;
  purchaseCreditMemoLines: BcPurchaseInvoiceLineCreate[];
}

/**
 * A Default Dimension row (APIV2DefaultDimensions.Page.al:25-60). `parentType` is Customer, Item, Vendor,
 * Employee or blank; rows of other tables (G/L accounts among them) come blank with an empty `parentId`.
 */
export const BcDefaultDimension = z.object({
  parentType: OptionalEnum,
  parentId: OptionalText,
  dimensionCode: z.string(),
  dimensionValueCode: OptionalText,
});
export type BcDefaultDimension = z.infer<typeof BcDefaultDimension>;

export const BcSubscription = z.object({
  '@odata.etag': ETag,
  subscriptionId: z.string(),
  notificationUrl: z.string(),
  resource: z.string(),
  clientState: OptionalText,
  expirationDateTime: z.string(),
  lastModifiedDateTime: OptionalText,
});
export type BcSubscription = z.infer<typeof BcSubscription>;

/** A BC webhook notification body (reference §6.3). */
export const BcNotification = z.object({
  subscriptionId: z.string(),
  clientState: OptionalText,
  expirationDateTime: OptionalText,
  resource: z.string(),
  changeType: z.enum(['created', 'updated', 'deleted', 'collection']),
  lastModifiedDateTime: OptionalText,
});
export type BcNotification = z.infer<typeof BcNotification>;
export const BcNotificationBody = z.object({ value: z.array(BcNotification) });

/** One page of a BC collection: the entities (parsed one by one) and the server-driven next link. */
export const BcPage = z.object({
  value: z.array(z.unknown()),
  '@odata.nextLink': z
    .string()
    .nullish()
    .transform((v) => v ?? undefined),
});
export type BcPage = z.infer<typeof BcPage>;

/** `companyInformation` (one row per company): `currencyCode` is the local currency (LCY). */
export const BcCompanyInformation = z.object({
  id: z.string(),
  displayName: OptionalText,
  currencyCode: z.string(),
});
export type BcCompanyInformation = z.infer<typeof BcCompanyInformation>;

/** One operation's answer inside a JSON `$batch` response (reference §1.4). */
export const BcBatchOperationResponse = z.object({
  id: z.string(),
  status: z.number().int(),
  headers: z
    .record(z.string(), z.string())
    .nullish()
    .transform((v) => v ?? {}),
  body: z.unknown().optional(),
});
export type BcBatchOperationResponse = z.infer<typeof BcBatchOperationResponse>;

/** `{"responses":[{id,status,headers,body}]}`: the answer to `POST {apiRoot}/$batch`. */
export const BcBatchResponse = z.object({ responses: z.array(BcBatchOperationResponse) });
export type BcBatchResponse = z.infer<typeof BcBatchResponse>;
