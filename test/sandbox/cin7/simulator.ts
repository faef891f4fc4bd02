/**
 * Cin7 Core External API v2 simulator (test infrastructure, reached only over HTTP).
 *
 * Reproduces the behaviour in reference/cin7-core-api.md that the connector must survive: header auth with
 * 403 "Incorrect credentials!", a sliding 60-calls-per-minute limit answered with 429 *or* 503 and a
 * `Retry-After` that is sometimes missing, error bodies with HTTP 200, an HTML "Page not found" with HTTP 200
 * for unknown paths, substring filters, paging envelopes, mixed date formats and thin/fat webhooks.
 *
 * Choices where the reference is silent (documented so tests do not read more into them):
 * - A missing record (unknown purchase/supplier/product ID on GET by ID, PUT) answers HTTP 400 with
 *   `[{"ErrorCode":404,"Exception":"… not found."}]`: the client must read the body's ErrorCode.
 *   A malformed GUID answers 400 with ErrorCode 400.
 * - Category/UOM missing on POST/PUT product answers HTTP 400 with the bare `{"ErrorCode":404,...}` seen live.
 * - Only requests that were served count towards the rate limit; throttled ones do not.
 * - `Limit` above 1000 is clamped to 1000; `UpdatedSince`/`ModifiedSince` are inclusive.
 * - A dropped connection is recorded with status 0.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultControl, seededRandom, type FaultKind } from '../faults.js';
import { readBody, startHttpServer } from '../http-server.js';
import { advancedPurchase, productJson, purchaseListRow, supplierJson, webhookJson } from './render.js';
import {
  createDefaultState,
  makeGuid,
  taxRule,
  webhookTypeNames,
  type Cin7SimState,
  type SimAccount,
  type SimAddress,
  type SimAmounts,
  type SimCharge,
  type SimContact,
  type SimCreditNote,
  type SimCreditNoteStatus,
  type SimInvoice,
  type SimInvoiceStatus,
  type SimLine,
  type SimLocation,
  type SimNamed,
  type SimPaymentTerm,
  type SimProduct,
  type SimPurchase,
  type SimSupplier,
  type SimTaxRule,
  type SimWebhook,
  type SimWebhookAuth,
} from './state.js';
import {
  buildWebhookPayload,
  maxFailedDeliveries,
  postWebhook,
  type Cin7WebhookEvent,
  type WebhookDelivery,
} from './webhooks.js';

export type { Cin7WebhookEvent, WebhookDelivery } from './webhooks.js';

export interface Cin7SimulatorOptions {
  accountId: string;
  applicationKey: string;
  faults?: FaultControl;
  /** Seeds GUIDs, the 429-or-503 choice and whether `Retry-After` is sent. Default 1. */
  seed?: number;
  /** Default 60 per 60 s (reference §1.4); `false` disables. */
  rateLimit?: { limit: number; windowMs: number } | false;
  /** Epoch ms; drives the rate-limit window and every `LastUpdatedDate`/`LastModifiedOn`. */
  clock?: () => number;
  /** Start with the default reference data of `createDefaultState` (accounts, tax rules...). Default true. */
  seedDefaults?: boolean;
}

export interface AddSupplierInput {
  Name: string;
  ID?: string;
  Currency?: string;
  PaymentTerm?: string;
  AccountPayable?: string;
  TaxRule?: string;
  Status?: 'Active' | 'Deprecated';
  TaxNumber?: string;
  Discount?: number;
  Comments?: string;
  Addresses?: Array<Omit<SimAddress, 'ID' | 'DefaultForType'> & { ID?: string; DefaultForType?: boolean }>;
  Contacts?: Array<Omit<SimContact, 'ID' | 'Default'> & { ID?: string; Default?: boolean }>;
  /** Defaults to now (the simulator clock). */
  createdAt?: Date;
}

export interface AddProductInput {
  SKU: string;
  Name?: string;
  ID?: string;
  Category?: string;
  Type?: 'Stock' | 'Service';
  CostingMethod?: string;
  UOM?: string;
  Status?: string;
  Barcode?: string;
  PriceTier1?: number;
  createdAt?: Date;
}

export interface AddLineInput {
  /** When it matches a product, `ProductID` and `Name` are filled from it. */
  SKU?: string;
  Name?: string;
  Quantity: number;
  Price: number;
  Discount?: number;
  /** Tax rule name; default the purchase's. Tax is computed from the rule's percentage unless `Tax` is given. */
  TaxRule?: string;
  Tax?: number;
  /** Account code; default the purchase's `InventoryAccount`. */
  Account?: string;
  Comment?: string;
}

export interface AddChargeInput {
  Description: string;
  Reference?: string;
  Quantity?: number;
  Price: number;
  Discount?: number;
  TaxRule?: string;
  Tax?: number;
  Account?: string;
}

export interface AddInvoiceInput {
  TaskID?: string;
  /** Default `INV-<order number digits>-<n>`. */
  InvoiceNumber?: string;
  /** Default DRAFT. */
  Status?: SimInvoiceStatus;
  InvoiceDate?: Date;
  /** Default InvoiceDate + the purchase term's days. */
  InvoiceDueDate?: Date;
  Lines?: AddLineInput[];
  AdditionalCharges?: AddChargeInput[];
}

export interface AddCreditNoteInput {
  TaskID?: string;
  /** Default `CR-<order number digits>-<n>`. */
  CreditNoteNumber?: string;
  /** The credited invoice's number; default the purchase's first invoice's, `''` for none. */
  CreditNoteInvoiceNumber?: string;
  /** Default DRAFT. */
  Status?: SimCreditNoteStatus;
  CreditNoteDate?: Date;
  Lines?: AddLineInput[];
  AdditionalCharges?: AddChargeInput[];
  /** Refunds received from the supplier (not posted by the connector). */
  Refunds?: number[];
}

export interface AddPurchaseInput {
  /** The supplier, by ID or by exact name; it must exist. */
  SupplierID?: string;
  Supplier?: string;
  ID?: string;
  /** Default `PO-00001`, `PO-00002`, ... */
  OrderNumber?: string;
  /** Default `INVOICE`. */
  Approach?: string;
  Type?: SimPurchase['Type'];
  OrderDate?: Date;
  RequiredBy?: Date | null;
  TaxRule?: string;
  TaxCalculation?: 'Inclusive' | 'Exclusive';
  Terms?: string;
  Location?: string;
  Note?: string;
  InventoryAccount?: string;
  SupplierCurrency?: string;
  CurrencyRate?: number;
  /** Overrides the status derived from the invoices. */
  Status?: string;
  invoices?: AddInvoiceInput[];
  createdAt?: Date;
}

export type PurchasePatch = Partial<
  Pick<
    SimPurchase,
    | 'Note'
    | 'Terms'
    | 'TaxRule'
    | 'Location'
    | 'RequiredBy'
    | 'Status'
    | 'Approach'
    | 'CurrencyRate'
    | 'SupplierCurrency'
    | 'InventoryAccount'
    | 'OrderNumber'
  >
>;

export interface InvoicePatch {
  InvoiceNumber?: string;
  InvoiceDate?: Date;
  InvoiceDueDate?: Date;
  Lines?: AddLineInput[];
  AdditionalCharges?: AddChargeInput[];
}

export interface DeliverWebhooksOptions {
  /** Attempts per webhook before giving up on this event (Cin7 makes 6, minutes apart). Default 1. */
  attempts?: number;
  /** Per-attempt timeout. Default 5 s. */
  timeoutMs?: number;
}

/** What the simulator saw of one request (no headers: they carry the credentials). */
export interface Cin7SimRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
}

export interface Cin7Simulator {
  /** `http://127.0.0.1:<port>/ExternalApi/v2/` */
  baseUrl: string;
  state: Cin7SimState;
  faults: FaultControl;
  /** Every authenticated, unthrottled request that reached routing, in order, with the query as sent. */
  received: Cin7SimRequest[];

  addSupplier(input: AddSupplierInput): SimSupplier;
  updateSupplier(id: string, patch: Partial<Omit<AddSupplierInput, 'ID' | 'createdAt'>>): SimSupplier;
  addProduct(input: AddProductInput): SimProduct;
  updateProduct(id: string, patch: Partial<Omit<AddProductInput, 'ID' | 'createdAt'>>): SimProduct;
  addPurchase(input: AddPurchaseInput): SimPurchase;
  updatePurchase(purchaseId: string, patch: PurchasePatch): SimPurchase;
  addInvoice(purchaseId: string, input?: AddInvoiceInput): SimInvoice;
  updateInvoice(purchaseId: string, taskId: string, patch: InvoicePatch): SimInvoice;
  authoriseInvoice(purchaseId: string, taskId: string): SimInvoice;
  voidInvoice(purchaseId: string, taskId: string): SimInvoice;
  payInvoice(purchaseId: string, taskId: string): SimInvoice;
  addCreditNote(purchaseId: string, input?: AddCreditNoteInput): SimCreditNote;
  updateCreditNote(
    purchaseId: string,
    taskId: string,
    patch: Pick<AddCreditNoteInput, 'Lines' | 'CreditNoteNumber'>,
  ): SimCreditNote;
  authoriseCreditNote(purchaseId: string, taskId: string): SimCreditNote;
  /** A voided credit note comes back with no lines and zero totals (issue 12 facts; cf. openapi.yaml:1611). */
  voidCreditNote(purchaseId: string, taskId: string): SimCreditNote;
  addAccount(input: Pick<SimAccount, 'Code' | 'Name'> & Partial<SimAccount>): SimAccount;
  addTaxRule(input: Pick<SimTaxRule, 'Name'> & Partial<SimTaxRule>): SimTaxRule;
  addPaymentTerm(input: Pick<SimPaymentTerm, 'Name'> & Partial<SimPaymentTerm>): SimPaymentTerm;
  addLocation(name: string): SimLocation;
  addCategory(name: string): SimNamed;
  addUnit(name: string): SimNamed;
  addWebhook(input: Pick<SimWebhook, 'Type' | 'ExternalURL'> & Partial<SimWebhook>): SimWebhook;

  /** The JSON Cin7 would POST for the event, without sending it. */
  webhookPayload(event: Cin7WebhookEvent): unknown;
  /** POSTs the event to every active webhook of its type; failures count towards deactivation. */
  deliverWebhooks(event: Cin7WebhookEvent, options?: DeliverWebhooksOptions): Promise<WebhookDelivery[]>;
  /** Failed deliveries in a row since the last success or re-activation. */
  deliveryFailures(webhookId: string): number;
  /**
   * Replaces the API application's key, as deleting the API application and creating a new one does (each API
   * Application has its own key: openapi.yaml:40-48): requests with the old key are refused at once.
   */
  rotateApplicationKey(applicationKey: string): void;
  close(): Promise<void>;
}

// ------------------------------------------------------------------------------------------------ constants

const costingMethods = new Set([
  'FIFO',
  'Special - Batch',
  'Special - Serial Number',
  'FIFO - Serial Number',
  'FIFO - Batch',
  'FEFO - Batch',
  'FEFO - Serial Number',
]);
const productStatuses = new Set(['Active', 'Setup required', 'Deprecated']);
/** Reference §7.2: the full list of webhook types in the current blueprint. */
const webhookTypes = new Set([
  'Sale/Created',
  'Sale/QuoteAuthorised',
  'Sale/OrderAuthorised',
  'Sale/Voided',
  'Sale/Backordered',
  'Sale/ShipmentAuthorised',
  'Sale/InvoiceAuthorised',
  'Sale/PickAuthorised',
  'Sale/PackAuthorised',
  'Sale/CreditNoteAuthorised',
  'Sale/Undo',
  'Sale/PartialPaymentReceived',
  'Sale/FullPaymentReceived',
  'Sale/AttachmentAdded',
  'Sale/AdditionalAttributesChanged',
  'Sale/ShipmentTrackingNumberChanged',
  'Purchase/OrderAuthorised',
  'Purchase/InvoiceAuthorised',
  'Purchase/StockReceivedAuthorised',
  'Purchase/CreditNoteAuthorised',
  'Purchase/Updated',
  'Customer/Updated',
  'Supplier/Updated',
  'Product/Updated',
  'Stock/AvailableStockLevelChanged',
  'Lead/Updated',
  'Lead/Converted',
  'Opportunity/Authorized',
  'Opportunity/AttachmentAdded',
  'Opportunity/Voided',
  'Opportunity/Converted',
  'Task/Overdue',
]);
/** Reference §7.1: at most 5 webhooks of one Type. */
const maxWebhooksPerType = 5;
/** Reference §2: default page size 100, maximum 1000. */
const defaultLimit = 100;
const maxLimit = 1000;

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const sinceParam = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z?$/;

const notFoundHtml =
  '<!DOCTYPE html>\n<html><head><title>Page not found</title></head><body><h1>Page not found</h1><p>The page you are looking for does not exist.</p></body></html>';

// ------------------------------------------------------------------------------------------------ helpers

interface Reply {
  status: number;
  json?: unknown;
  html?: string;
  text?: string;
  headers?: Record<string, string>;
}

class SimError extends Error {
  constructor(readonly reply: Reply) {
    super('simulated Cin7 error');
  }
}

/** Cin7's error model, wrapped in an array as it usually is (reference §1.3). */
function fail(status: number, errorCode: number, exception: string, bare = false): never {
  const item = { ErrorCode: errorCode, Exception: exception };
  throw new SimError({ status, json: bare ? item : [item] });
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
const sameText = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
const contains = (haystack: string | null | undefined, needle: string): boolean =>
  (haystack ?? '').toLowerCase().includes(needle.toLowerCase());

function page<T>(items: T[], q: Map<string, string>): { Total: number; Page: number; rows: T[] } {
  const pageNo = Math.max(1, Number.parseInt(q.get('page') ?? '', 10) || 1);
  const limit = Math.min(maxLimit, Math.max(1, Number.parseInt(q.get('limit') ?? '', 10) || defaultLimit));
  return { Total: items.length, Page: pageNo, rows: items.slice((pageNo - 1) * limit, pageNo * limit) };
}

function parseSince(q: Map<string, string>, name: string): number | undefined {
  const raw = q.get(name.toLowerCase());
  if (raw === undefined || raw === '') return undefined;
  const m = sinceParam.exec(raw);
  const ms = m ? Date.parse(`${raw.replace(/Z$/, '')}Z`) : Number.NaN;
  if (Number.isNaN(ms)) fail(400, 400, `${name} is not a valid date. Use yyyy-MM-ddTHH:mm:ss.`);
  return ms;
}

function requireGuid(value: string | undefined, name: string): string {
  if (value === undefined || value === '') fail(400, 400, `${name} is required.`);
  if (!guidPattern.test(value)) fail(400, 400, `The value '${value}' is not valid for ${name}.`);
  return value;
}

function asRecord(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    fail(400, 400, 'Request body must be a JSON object.');
  return body as Record<string, unknown>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function queryMap(url: URL): Map<string, string> {
  const q = new Map<string, string>();
  for (const [k, v] of url.searchParams) q.set(k.toLowerCase(), v);
  return q;
}

function write(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let body = '';
  if (reply.html !== undefined) {
    headers['content-type'] = 'text/html; charset=utf-8';
    body = reply.html;
  } else if (reply.text !== undefined) {
    headers['content-type'] = 'text/plain; charset=utf-8';
    body = reply.text;
  } else if (reply.json !== undefined) {
    headers['content-type'] = 'application/json; charset=utf-8';
    body = JSON.stringify(reply.json);
  }
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(reply.status, headers);
  res.end(body);
}

// ------------------------------------------------------------------------------------------------ simulator

/** Starts the simulator on 127.0.0.1 (ephemeral port). */
export async function startCin7Simulator(options: Cin7SimulatorOptions): Promise<Cin7Simulator> {
  const faults = options.faults ?? new FaultControl(options.seed ?? 1);
  const random = seededRandom(options.seed ?? 1);
  const now = options.clock ?? ((): number => Date.now());
  const rateLimit = options.rateLimit === false ? undefined : (options.rateLimit ?? { limit: 60, windowMs: 60_000 });
  const state = createDefaultState(random);
  let applicationKey = options.applicationKey;
  if (options.seedDefaults === false) {
    for (const key of ['accounts', 'taxRules', 'paymentTerms', 'locations', 'categories', 'units'] as const)
      state[key].length = 0;
  }
  const received: Cin7SimRequest[] = [];
  const servedAt: number[] = [];
  const failures = new Map<string, number>();
  let orderSeq = 0;

  const guid = (): string => makeGuid(random);
  const nowDate = (): Date => new Date(now());

  // ---------------------------------------------------------------------------------------------- lookups

  const findById = <T extends { ID: string }>(items: T[], id: string): T | undefined =>
    items.find((i) => i.ID.toLowerCase() === id.toLowerCase());

  function mustFind<T extends { ID: string }>(items: T[], id: string, what: string): T {
    const item = findById(items, id);
    if (!item) throw new Error(`simulator: no ${what} with ID ${id}`);
    return item;
  }

  const taxPercent = (ruleName: string): number =>
    state.taxRules.find((t) => sameText(t.Name, ruleName))?.TaxPercent ?? 0;
  const termDays = (termName: string): number =>
    state.paymentTerms.find((t) => sameText(t.Name, termName))?.Duration ?? 30;

  // ---------------------------------------------------------------------------------------------- seeding

  /**
   * Quantity × price less the discount %, and the tax the rule's percentage charges on it (within it when the
   * purchase is tax-inclusive) unless `Tax` is given; rule and account default to the purchase's.
   */
  function priced(
    p: SimPurchase,
    input: Pick<AddLineInput, 'Quantity' | 'Price' | 'Discount' | 'TaxRule' | 'Tax' | 'Account'>,
  ): SimAmounts {
    const discount = input.Discount ?? 0;
    const total = round2(input.Quantity * input.Price * (1 - discount / 100));
    const taxRule = input.TaxRule ?? p.TaxRule;
    const rate = taxPercent(taxRule) / 100;
    return {
      Quantity: input.Quantity,
      Price: input.Price,
      Discount: discount,
      Tax: input.Tax ?? round2(p.TaxCalculation === 'Inclusive' ? total - total / (1 + rate) : total * rate),
      TaxRule: taxRule,
      Account: input.Account ?? p.InventoryAccount,
      Total: total,
    };
  }

  function buildLine(p: SimPurchase, input: AddLineInput): SimLine {
    const product = input.SKU === undefined ? undefined : state.products.find((x) => x.SKU === input.SKU);
    const { Total, ...amounts } = priced(p, input);
    return {
      ProductID: product?.ID ?? null,
      SKU: input.SKU ?? null,
      Name: input.Name ?? product?.Name ?? input.SKU ?? 'Service',
      ...amounts,
      Comment: input.Comment ?? '',
      Total,
    };
  }

  function buildCharge(p: SimPurchase, input: AddChargeInput): SimCharge {
    return {
      Description: input.Description,
      Reference: input.Reference ?? '',
      ...priced(p, { ...input, Quantity: input.Quantity ?? 1 }),
    };
  }

  function totalInvoice(p: SimPurchase, inv: SimInvoice | SimCreditNote): void {
    const amounts = [...inv.Lines, ...inv.AdditionalCharges];
    const gross = round2(amounts.reduce((s, x) => s + x.Total, 0));
    const tax = round2(amounts.reduce((s, x) => s + x.Tax, 0));
    if (p.TaxCalculation === 'Inclusive') {
      inv.TotalBeforeTax = round2(gross - tax);
      inv.Total = gross;
    } else {
      inv.TotalBeforeTax = gross;
      inv.Total = round2(gross + tax);
    }
    inv.Tax = tax;
    if ('Paid' in inv && inv.Status === 'PAID') inv.Paid = inv.Total;
  }

  /** Keeps `Status` in step with the invoices the way Cin7's header status follows its stages (§3.3). */
  function deriveStatus(p: SimPurchase): void {
    const live = p.Invoices.filter((i) => i.Status !== 'VOIDED');
    const done = live.filter((i) => i.Status === 'AUTHORISED' || i.Status === 'PAID');
    if (done.length === 0) p.Status = 'ORDERED';
    else if (done.length === live.length) p.Status = live.every((i) => i.Status === 'PAID') ? 'COMPLETED' : 'INVOICED';
    else p.Status = 'PARTIALLY INVOICED';
  }

  function touch(p: SimPurchase): void {
    p.LastUpdatedDate = nowDate();
  }

  function addInvoiceTo(p: SimPurchase, input: AddInvoiceInput): SimInvoice {
    if (p.Type === 'Simple Purchase' && p.Invoices.length > 0)
      throw new Error('simulator: a simple purchase has one invoice');
    const n = p.Invoices.length + 1;
    const invoiceDate = input.InvoiceDate ?? p.OrderDate;
    const inv: SimInvoice = {
      // Reference §7.3: a simple purchase's stage TaskID is the purchase ID; advanced ones have their own.
      TaskID: input.TaskID ?? (p.Type === 'Simple Purchase' ? p.ID : guid()),
      InvoicingAndReceivingNumber: n,
      InvoiceNumber: input.InvoiceNumber ?? `INV-${p.OrderNumber.replace(/^\D+/, '')}${n > 1 ? `-${n}` : ''}`,
      InvoiceDate: invoiceDate,
      InvoiceDueDate: input.InvoiceDueDate ?? new Date(invoiceDate.getTime() + termDays(p.Terms) * 86_400_000),
      Status: input.Status ?? 'DRAFT',
      Lines: [],
      AdditionalCharges: [],
      TotalBeforeTax: 0,
      Tax: 0,
      Total: 0,
      Paid: 0,
    };
    inv.Lines = (input.Lines ?? [{ Name: 'Goods', Quantity: 1, Price: 100 }]).map((l) => buildLine(p, l));
    inv.AdditionalCharges = (input.AdditionalCharges ?? []).map((c) => buildCharge(p, c));
    totalInvoice(p, inv);
    p.Invoices.push(inv);
    return inv;
  }

  function addCreditNoteTo(p: SimPurchase, input: AddCreditNoteInput): SimCreditNote {
    const n = p.CreditNotes.length + 1;
    const note: SimCreditNote = {
      TaskID: input.TaskID ?? guid(),
      CreditNoteNumber: input.CreditNoteNumber ?? `CR-${p.OrderNumber.replace(/^\D+/, '')}${n > 1 ? `-${n}` : ''}`,
      CreditNoteInvoiceNumber: input.CreditNoteInvoiceNumber ?? p.Invoices[0]?.InvoiceNumber ?? '',
      CreditNoteDate: input.CreditNoteDate ?? nowDate(),
      Status: input.Status ?? 'DRAFT',
      Lines: [],
      AdditionalCharges: [],
      Refunds: (input.Refunds ?? []).map((Amount) => ({ Amount, DatePaid: nowDate() })),
      TotalBeforeTax: 0,
      Tax: 0,
      Total: 0,
    };
    // Credit note lines use the invoice line model with positive amounts (openapi.yaml:1613, example :3790-3817).
    note.Lines = (input.Lines ?? [{ Name: 'Goods returned', Quantity: 1, Price: 100 }]).map((l) => buildLine(p, l));
    note.AdditionalCharges = (input.AdditionalCharges ?? []).map((c) => buildCharge(p, c));
    totalInvoice(p, note);
    p.CreditNotes.push(note);
    return note;
  }

  function findCreditNote(purchaseId: string, taskId: string): { p: SimPurchase; note: SimCreditNote } {
    const p = mustFind(state.purchases, purchaseId, 'purchase');
    const note = p.CreditNotes.find((c) => sameText(c.TaskID, taskId));
    if (!note) throw new Error(`simulator: purchase ${p.OrderNumber} has no credit note ${taskId}`);
    return { p, note };
  }

  function findInvoice(purchaseId: string, taskId: string): { p: SimPurchase; inv: SimInvoice } {
    const p = mustFind(state.purchases, purchaseId, 'purchase');
    const inv = p.Invoices.find((i) => sameText(i.TaskID, taskId));
    if (!inv) throw new Error(`simulator: purchase ${p.OrderNumber} has no invoice ${taskId}`);
    return { p, inv };
  }

  function setInvoiceStatus(purchaseId: string, taskId: string, status: SimInvoiceStatus): SimInvoice {
    const { p, inv } = findInvoice(purchaseId, taskId);
    inv.Status = status;
    if (status === 'PAID') inv.Paid = inv.Total;
    deriveStatus(p);
    touch(p);
    return inv;
  }

  function newSupplier(input: AddSupplierInput): SimSupplier {
    const created = input.createdAt ?? nowDate();
    const s: SimSupplier = {
      ID: input.ID ?? guid(),
      Name: input.Name,
      Currency: input.Currency ?? state.me.Currency,
      PaymentTerm: input.PaymentTerm ?? '30 days',
      AccountPayable: input.AccountPayable ?? '800',
      TaxRule: input.TaxRule ?? 'Tax on Purchases',
      Status: input.Status ?? 'Active',
      TaxNumber: input.TaxNumber ?? '',
      Discount: input.Discount ?? 0,
      Comments: input.Comments ?? '',
      Addresses: (input.Addresses ?? []).map((a) => ({
        ...a,
        ID: a.ID ?? guid(),
        DefaultForType: a.DefaultForType ?? true,
      })),
      Contacts: (input.Contacts ?? []).map((c) => ({ ...c, ID: c.ID ?? guid(), Default: c.Default ?? true })),
      CreatedDate: created,
      LastModifiedOn: created,
    };
    state.suppliers.push(s);
    return s;
  }

  function newProduct(input: AddProductInput): SimProduct {
    const created = input.createdAt ?? nowDate();
    const p: SimProduct = {
      ID: input.ID ?? guid(),
      SKU: input.SKU,
      Name: input.Name ?? input.SKU,
      Category: input.Category ?? 'General',
      Type: input.Type ?? 'Stock',
      CostingMethod: input.CostingMethod ?? 'FIFO',
      UOM: input.UOM ?? 'Item',
      Status: input.Status ?? 'Active',
      Barcode: input.Barcode ?? '',
      PriceTier1: input.PriceTier1 ?? 0,
      CreatedDate: created,
      LastModifiedOn: created,
    };
    state.products.push(p);
    return p;
  }

  function newPurchase(input: AddPurchaseInput): SimPurchase {
    const supplier =
      input.SupplierID !== undefined
        ? findById(state.suppliers, input.SupplierID)
        : input.Supplier !== undefined
          ? state.suppliers.find((s) => s.Name === input.Supplier)
          : undefined;
    if (!supplier) throw new Error('simulator: addPurchase needs an existing supplier (SupplierID or Supplier name)');
    orderSeq += 1;
    const created = input.createdAt ?? nowDate();
    const p: SimPurchase = {
      ID: input.ID ?? guid(),
      SupplierID: supplier.ID,
      Supplier: supplier.Name,
      Contact: supplier.Contacts[0]?.Name ?? 'No Name',
      Phone: supplier.Contacts[0]?.Phone ?? '',
      InventoryAccount: input.InventoryAccount ?? '630',
      BlindReceipt: false,
      Approach: input.Approach ?? 'INVOICE',
      BaseCurrency: state.me.Currency,
      SupplierCurrency: input.SupplierCurrency ?? supplier.Currency,
      CurrencyRate: input.CurrencyRate ?? 1,
      TaxRule: input.TaxRule ?? supplier.TaxRule,
      TaxCalculation: input.TaxCalculation ?? 'Exclusive',
      Terms: input.Terms ?? supplier.PaymentTerm,
      RequiredBy: input.RequiredBy ?? null,
      Location: input.Location ?? state.locations[0]?.Name ?? 'Main Warehouse',
      Note: input.Note ?? '',
      OrderNumber: input.OrderNumber ?? `PO-${String(orderSeq).padStart(5, '0')}`,
      OrderDate:
        input.OrderDate ?? new Date(Date.UTC(created.getUTCFullYear(), created.getUTCMonth(), created.getUTCDate())),
      Status: 'ORDERED',
      Type: input.Type ?? 'Advanced Purchase',
      IsServiceOnly: input.Type === 'Service Purchase',
      Invoices: [],
      CreditNotes: [],
      CreatedDate: created,
      LastUpdatedDate: created,
    };
    for (const inv of input.invoices ?? []) addInvoiceTo(p, inv);
    deriveStatus(p);
    if (input.Status !== undefined) p.Status = input.Status;
    state.purchases.push(p);
    return p;
  }

  // ---------------------------------------------------------------------------------------------- API: validation

  function requireRef<T extends { Name: string }>(items: T[], name: string, label: string): void {
    if (!items.some((i) => sameText(i.Name, name)))
      fail(400, 400, `${label} '${name}' was not found in reference book`);
  }

  function supplierFromBody(body: Record<string, unknown>, existing: SimSupplier | undefined): AddSupplierInput {
    const merged = {
      Name: str(body['Name']) ?? existing?.Name,
      Currency: str(body['Currency']) ?? existing?.Currency,
      PaymentTerm: str(body['PaymentTerm']) ?? existing?.PaymentTerm,
      AccountPayable: str(body['AccountPayable']) ?? existing?.AccountPayable,
      TaxRule: str(body['TaxRule']) ?? existing?.TaxRule,
    };
    const missing = Object.entries(merged)
      .filter(([, v]) => v === undefined || v === '')
      .map(([k]) => k);
    if (missing.length > 0) {
      throw new SimError({
        status: 400,
        json: missing.map((k) => ({ ErrorCode: 400, Exception: `${k} is required.` })),
      });
    }
    const status = str(body['Status']) ?? existing?.Status ?? 'Active';
    if (status !== 'Active' && status !== 'Deprecated')
      fail(400, 400, `Status '${status}' is not valid. Use Active or Deprecated.`);
    requireRef(state.paymentTerms, merged.PaymentTerm ?? '', 'Payment term');
    requireRef(state.taxRules, merged.TaxRule ?? '', 'Tax rule');
    if (!state.accounts.some((a) => a.Code === merged.AccountPayable))
      fail(400, 400, `Account '${merged.AccountPayable ?? ''}' was not found in reference book`);
    const taxNumber = body['TaxNumber'];
    return {
      Name: merged.Name ?? '',
      Currency: merged.Currency ?? '',
      PaymentTerm: merged.PaymentTerm ?? '',
      AccountPayable: merged.AccountPayable ?? '',
      TaxRule: merged.TaxRule ?? '',
      Status: status,
      TaxNumber:
        typeof taxNumber === 'string' || typeof taxNumber === 'number'
          ? String(taxNumber)
          : (existing?.TaxNumber ?? ''),
      Discount: num(body['Discount']) ?? existing?.Discount ?? 0,
      Comments: str(body['Comments']) ?? existing?.Comments ?? '',
    };
  }

  function mergeChildren<T extends { ID: string }>(
    existing: T[],
    incoming: unknown,
    build: (raw: Record<string, unknown>, id: string) => T,
  ): T[] {
    if (!Array.isArray(incoming)) return existing;
    const result = [...existing];
    for (const raw of incoming) {
      const obj = asRecord(raw);
      const id = str(obj['ID']);
      const index = id === undefined ? -1 : result.findIndex((x) => sameText(x.ID, id));
      if (index >= 0) result[index] = build({ ...result[index], ...obj }, result[index]?.ID ?? guid());
      else result.push(build(obj, guid()));
    }
    return result;
  }

  const buildAddress = (raw: Record<string, unknown>, id: string): SimAddress => {
    const Line1 = str(raw['Line1']);
    const Country = str(raw['Country']);
    const Type = str(raw['Type']);
    if (!Line1 || !Country) fail(400, 400, 'Address Line1 and Country are required.');
    if (Type !== 'Billing' && Type !== 'Business' && Type !== 'Shipping')
      fail(400, 400, `Address Type '${Type ?? ''}' is not valid.`);
    const a: SimAddress = { ID: id, Line1, Country, Type, DefaultForType: raw['DefaultForType'] === true };
    for (const key of ['Line2', 'City', 'State', 'Postcode'] as const) {
      const v = str(raw[key]);
      if (v !== undefined) a[key] = v;
    }
    return a;
  };

  const buildContact = (raw: Record<string, unknown>, id: string): SimContact => {
    const Name = str(raw['Name']);
    if (!Name) fail(400, 400, 'Contact Name is required.');
    const c: SimContact = { ID: id, Name, Default: raw['Default'] === true };
    for (const key of ['Phone', 'Email', 'Website'] as const) {
      const v = str(raw[key]);
      if (v !== undefined) c[key] = v;
    }
    return c;
  };

  function validateProductRefs(category: string | undefined, uom: string | undefined): void {
    // Seen live: a bare (not wrapped) body with ErrorCode 404 (reference §1.3).
    if (category !== undefined && !state.categories.some((c) => sameText(c.Name, category)))
      fail(400, 404, 'Category not found.', true);
    if (uom !== undefined && !state.units.some((u) => sameText(u.Name, uom))) fail(400, 404, 'UOM not found.', true);
  }

  function productFromPost(body: Record<string, unknown>): AddProductInput {
    const required = ['SKU', 'Name', 'Category', 'CostingMethod', 'UOM', 'Status', 'Type'] as const;
    const missing = required.filter((k) => str(body[k]) === undefined || str(body[k]) === '');
    if (missing.length > 0) {
      throw new SimError({
        status: 400,
        json: missing.map((k) => ({ ErrorCode: 400, Exception: `${k} is required.` })),
      });
    }
    const get = (k: (typeof required)[number]): string => str(body[k]) ?? '';
    const type = get('Type');
    if (type !== 'Stock' && type !== 'Service') fail(400, 400, `Type '${type}' is not valid. Use Stock or Service.`);
    if (!costingMethods.has(get('CostingMethod')))
      fail(400, 400, `CostingMethod '${get('CostingMethod')}' is not valid.`);
    if (!productStatuses.has(get('Status'))) fail(400, 400, `Status '${get('Status')}' is not valid.`);
    validateProductRefs(get('Category'), get('UOM'));
    if (state.products.some((p) => sameText(p.SKU, get('SKU'))))
      fail(400, 400, `Product with SKU '${get('SKU')}' already exists.`);
    const input: AddProductInput = {
      SKU: get('SKU'),
      Name: get('Name'),
      Category: get('Category'),
      Type: type,
      CostingMethod: get('CostingMethod'),
      UOM: get('UOM'),
      Status: get('Status'),
    };
    const barcode = str(body['Barcode']);
    if (barcode !== undefined) input.Barcode = barcode;
    const price = num(body['PriceTier1']);
    if (price !== undefined) input.PriceTier1 = price;
    return input;
  }

  // ---------------------------------------------------------------------------------------------- API: routes

  function routePurchaseList(q: Map<string, string>): Reply {
    const since = parseSince(q, 'UpdatedSince');
    const until = parseSince(q, 'UpdatedUntil');
    const search = q.get('search');
    const rows = state.purchases
      .filter((p) => since === undefined || p.LastUpdatedDate.getTime() >= since)
      .filter((p) => until === undefined || p.LastUpdatedDate.getTime() <= until)
      .filter(
        (p) =>
          search === undefined ||
          search === '' ||
          contains(p.OrderNumber, search) ||
          contains(p.Status, search) ||
          contains(p.Supplier, search) ||
          p.Invoices.some((i) => contains(i.InvoiceNumber, search)) ||
          p.CreditNotes.some((c) => contains(c.CreditNoteNumber, search)),
      )
      // Reference §3.1: ordered by creation, ascending.
      .sort((a, b) => a.CreatedDate.getTime() - b.CreatedDate.getTime());
    const { Total, Page, rows: pageRows } = page(rows, q);
    return { status: 200, json: { Total, Page, PurchaseList: pageRows.map(purchaseListRow) } };
  }

  function routePurchaseById(q: Map<string, string>): Reply {
    const id = requireGuid(q.get('id'), 'ID');
    const p = findById(state.purchases, id);
    if (!p) fail(400, 404, `Purchase with ID '${id}' not found.`);
    return { status: 200, json: advancedPurchase(p) };
  }

  function routeSupplier(method: string, q: Map<string, string>, body: unknown): Reply {
    if (method === 'GET') {
      const id = q.get('id');
      const name = q.get('name');
      const since = parseSince(q, 'ModifiedSince');
      const includeDeprecated = q.get('includedeprecated')?.toLowerCase() === 'true';
      const rows = state.suppliers
        .filter((s) => id === undefined || sameText(s.ID, id))
        .filter((s) => name === undefined || contains(s.Name, name))
        .filter((s) => since === undefined || s.LastModifiedOn.getTime() >= since)
        .filter((s) => includeDeprecated || id !== undefined || s.Status !== 'Deprecated');
      const { Total, Page, rows: pageRows } = page(rows, q);
      return { status: 200, json: { Total, Page, SupplierList: pageRows.map(supplierJson) } };
    }
    const obj = asRecord(body);
    if (method === 'POST') {
      const s = newSupplier(supplierFromBody(obj, undefined));
      s.Addresses = mergeChildren([], obj['Addresses'], buildAddress);
      s.Contacts = mergeChildren([], obj['Contacts'], buildContact);
      return { status: 200, json: { Total: 1, Page: 1, SupplierList: [supplierJson(s)] } };
    }
    if (method === 'PUT') {
      const id = requireGuid(str(obj['ID']), 'ID');
      const s = findById(state.suppliers, id);
      if (!s) fail(400, 404, `Supplier with ID '${id}' not found.`);
      const next = supplierFromBody(obj, s);
      Object.assign(s, next, {
        Addresses: mergeChildren(s.Addresses, obj['Addresses'], buildAddress),
        Contacts: mergeChildren(s.Contacts, obj['Contacts'], buildContact),
        LastModifiedOn: nowDate(),
      });
      return { status: 200, json: { Total: 1, Page: 1, SupplierList: [supplierJson(s)] } };
    }
    throw new SimError({ status: 405, json: [{ ErrorCode: 405, Exception: 'Method not allowed.' }] });
  }

  function routeProduct(method: string, q: Map<string, string>, body: unknown): Reply {
    if (method === 'GET') {
      const id = q.get('id');
      const sku = q.get('sku');
      const name = q.get('name');
      const since = parseSince(q, 'ModifiedSince');
      const includeDeprecated = q.get('includedeprecated')?.toLowerCase() === 'true';
      const rows = state.products
        .filter((p) => id === undefined || sameText(p.ID, id))
        // Reference §5: Sku and Name match by "containing".
        .filter((p) => sku === undefined || contains(p.SKU, sku))
        .filter((p) => name === undefined || contains(p.Name, name))
        .filter((p) => since === undefined || p.LastModifiedOn.getTime() >= since)
        .filter((p) => includeDeprecated || id !== undefined || p.Status !== 'Deprecated');
      const { Total, Page, rows: pageRows } = page(rows, q);
      return { status: 200, json: { Total, Page, Products: pageRows.map(productJson) } };
    }
    const obj = asRecord(body);
    if (method === 'POST') {
      const p = newProduct(productFromPost(obj));
      return { status: 200, json: { Total: 1, Page: 1, Products: [productJson(p)] } };
    }
    if (method === 'PUT') {
      const id = requireGuid(str(obj['ID']), 'ID');
      const p = findById(state.products, id);
      if (!p) fail(400, 404, `Product with ID '${id}' not found.`);
      validateProductRefs(str(obj['Category']), str(obj['UOM']));
      const sku = str(obj['SKU']);
      if (sku !== undefined && state.products.some((x) => x !== p && sameText(x.SKU, sku)))
        fail(400, 400, `Product with SKU '${sku}' already exists.`);
      const status = str(obj['Status']);
      if (status !== undefined && !productStatuses.has(status)) fail(400, 400, `Status '${status}' is not valid.`);
      const costing = str(obj['CostingMethod']);
      if (costing !== undefined && !costingMethods.has(costing))
        fail(400, 400, `CostingMethod '${costing}' is not valid.`);
      // Type is read-only on PUT (reference §5): ignored.
      for (const key of ['SKU', 'Name', 'Category', 'CostingMethod', 'UOM', 'Status', 'Barcode'] as const) {
        const v = str(obj[key]);
        if (v !== undefined) p[key] = v;
      }
      const price = num(obj['PriceTier1']);
      if (price !== undefined) p.PriceTier1 = price;
      p.LastModifiedOn = nowDate();
      return { status: 200, json: { Total: 1, Page: 1, Products: [productJson(p)] } };
    }
    throw new SimError({ status: 405, json: [{ ErrorCode: 405, Exception: 'Method not allowed.' }] });
  }

  function routeCategory(method: string, q: Map<string, string>, body: unknown): Reply {
    if (method === 'GET') {
      const name = q.get('name');
      const id = q.get('id');
      // Reference §6.5: category Name matches by "starts with".
      const rows = state.categories
        .filter((c) => id === undefined || sameText(c.ID, id))
        .filter((c) => name === undefined || c.Name.toLowerCase().startsWith(name.toLowerCase()));
      const { Total, Page, rows: pageRows } = page(rows, q);
      return { status: 200, json: { Total, Page, CategoryList: pageRows } };
    }
    if (method === 'POST') {
      const name = str(asRecord(body)['Name']);
      if (!name) fail(400, 400, 'Name is required.');
      if (state.categories.some((c) => sameText(c.Name, name)))
        fail(400, 400, 'This category already exists. Category name must be unique.');
      const created = { ID: guid(), Name: name };
      state.categories.push(created);
      // Reference §6.5: POST answers with the bare {ID, Name}.
      return { status: 200, json: created };
    }
    throw new SimError({ status: 405, json: [{ ErrorCode: 405, Exception: 'Method not allowed.' }] });
  }

  function webhookFromBody(obj: Record<string, unknown>, existing: SimWebhook | undefined): SimWebhook {
    const type = str(obj['Type']) ?? existing?.Type;
    const url = str(obj['ExternalURL']) ?? existing?.ExternalURL;
    const auth = str(obj['ExternalAuthorizationType']) ?? existing?.ExternalAuthorizationType;
    const isActive = typeof obj['IsActive'] === 'boolean' ? obj['IsActive'] : existing?.IsActive;
    if (type === undefined || !webhookTypes.has(type))
      fail(400, 400, `Type '${type ?? ''}' is not a valid webhook type.`);
    if (!url) fail(400, 400, 'ExternalURL is required.');
    if (isActive === undefined) fail(400, 400, 'IsActive is required.');
    if (auth !== 'noauth' && auth !== 'basicauth' && auth !== 'bearerauth')
      fail(400, 400, 'ExternalAuthorizationType must be noauth, basicauth or bearerauth.');
    const pick = (key: 'ExternalUserName' | 'ExternalPassword' | 'ExternalBearerToken'): string | null =>
      str(obj[key]) ?? existing?.[key] ?? null;
    const hook: SimWebhook = {
      ID: existing?.ID ?? guid(),
      Type: type,
      Name: webhookTypeNames[type] ?? type,
      IsActive: isActive,
      ExternalURL: url,
      ExternalAuthorizationType: auth satisfies SimWebhookAuth,
      ExternalUserName: pick('ExternalUserName'),
      ExternalPassword: pick('ExternalPassword'),
      ExternalBearerToken: pick('ExternalBearerToken'),
      ExternalHeaders: Array.isArray(obj['ExternalHeaders'])
        ? (obj['ExternalHeaders'] as unknown[]).map((h) => {
            const r = asRecord(h);
            return { Key: str(r['Key']) ?? '', Value: str(r['Value']) ?? '' };
          })
        : (existing?.ExternalHeaders ?? []),
    };
    if (auth === 'basicauth' && (!hook.ExternalUserName || !hook.ExternalPassword))
      fail(400, 400, 'ExternalUserName and ExternalPassword are required for basicauth.');
    if (auth === 'bearerauth' && !hook.ExternalBearerToken)
      fail(400, 400, 'ExternalBearerToken is required for bearerauth.');
    return hook;
  }

  function routeWebhooks(method: string, q: Map<string, string>, body: unknown): Reply {
    if (method === 'GET') return { status: 200, json: { Webhooks: state.webhooks.map(webhookJson) } };
    if (method === 'DELETE') {
      const id = requireGuid(q.get('id'), 'ID');
      const index = state.webhooks.findIndex((w) => sameText(w.ID, id));
      if (index < 0) fail(400, 404, `Webhook with ID '${id}' not found.`);
      state.webhooks.splice(index, 1);
      return { status: 200, json: { Webhooks: [] } };
    }
    const obj = asRecord(body);
    if (method === 'POST') {
      const hook = webhookFromBody(obj, undefined);
      if (state.webhooks.filter((w) => w.Type === hook.Type).length >= maxWebhooksPerType) {
        fail(400, 400, `There can be at most ${maxWebhooksPerType} webhooks of type ${hook.Type}.`);
      }
      state.webhooks.push(hook);
      return { status: 200, json: { Webhooks: [webhookJson(hook)] } };
    }
    if (method === 'PUT') {
      const id = requireGuid(str(obj['ID']), 'ID');
      const existing = state.webhooks.find((w) => sameText(w.ID, id));
      if (!existing) fail(400, 404, `Webhook with ID '${id}' not found.`);
      const wasActive = existing.IsActive;
      Object.assign(existing, webhookFromBody(obj, existing));
      if (!wasActive && existing.IsActive) failures.delete(existing.ID);
      return { status: 200, json: { Webhooks: [webhookJson(existing)] } };
    }
    throw new SimError({ status: 405, json: [{ ErrorCode: 405, Exception: 'Method not allowed.' }] });
  }

  function refList(key: string, items: unknown[], q: Map<string, string>): Reply {
    const { Total, Page, rows } = page(items, q);
    return { status: 200, json: { Total, Page, [key]: rows } };
  }

  function route(method: string, endpoint: string, q: Map<string, string>, body: unknown): Reply {
    const only = (...methods: string[]): void => {
      if (!methods.includes(method))
        throw new SimError({ status: 405, json: [{ ErrorCode: 405, Exception: 'Method not allowed.' }] });
    };
    switch (endpoint) {
      case 'me':
        only('GET');
        return { status: 200, json: { ...state.me } };
      case 'purchaselist':
        only('GET');
        return routePurchaseList(q);
      case 'advanced-purchase':
        only('GET');
        return routePurchaseById(q);
      case 'supplier':
        return routeSupplier(method, q, body);
      case 'product':
        return routeProduct(method, q, body);
      case 'ref/account':
        only('GET');
        return refList('AccountsList', state.accounts, q);
      case 'ref/tax':
        only('GET');
        return refList('TaxRuleList', state.taxRules, q);
      case 'ref/paymentterm':
        only('GET');
        return refList('PaymentTermList', state.paymentTerms, q);
      case 'ref/location':
        only('GET');
        return refList('LocationList', state.locations, q);
      case 'ref/category':
        return routeCategory(method, q, body);
      case 'ref/unit':
        only('GET');
        return refList('UnitList', state.units, q);
      case 'webhooks':
        return routeWebhooks(method, q, body);
      default:
        // Reference §1.3: a wrong path comes back as HTTP 200 with an HTML page.
        return { status: 200, html: notFoundHtml };
    }
  }

  // ---------------------------------------------------------------------------------------------- transport

  function throttleReply(withRetryAfter: boolean, retryAfterSeconds: number, limit: number): Reply {
    // Reference §1.4: 429 in the newer blueprint, 503 in the older one and in the field.
    const status = random() < 0.5 ? 429 : 503;
    return {
      status,
      text: `You reached ${limit} calls per minute API limit`,
      ...(withRetryAfter ? { headers: { 'retry-after': String(retryAfterSeconds) } } : {}),
    };
  }

  /** Sliding window over served requests; over the limit → a throttle reply. */
  function checkRateLimit(): Reply | undefined {
    if (!rateLimit) return undefined;
    const t = now();
    while (servedAt.length > 0 && (servedAt[0] ?? 0) <= t - rateLimit.windowMs) servedAt.shift();
    if (servedAt.length >= rateLimit.limit) {
      const waitSeconds = Math.max(1, Math.ceil(((servedAt[0] ?? t) + rateLimit.windowMs - t) / 1000));
      return throttleReply(random() < 0.5, waitSeconds, rateLimit.limit);
    }
    servedAt.push(t);
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const record = (status: number, fault?: FaultKind): void =>
      faults.record({ system: 'cin7', method, path, status, ...(fault === undefined ? {} : { fault }) });

    const rule = faults.decide('cin7', method, path);
    let appliedFault: FaultKind | undefined;
    if (rule) {
      appliedFault = rule.kind;
      switch (rule.kind) {
        case 'drop-connection':
          record(0, rule.kind);
          req.socket.destroy();
          return;
        case 'latency':
          await new Promise((resolve) => setTimeout(resolve, rule.latencyMs ?? 200));
          break;
        case 'throttle':
        case 'throttle-no-retry-after': {
          const reply = throttleReply(rule.kind === 'throttle', rule.retryAfterSeconds ?? 1, rateLimit?.limit ?? 60);
          if (rule.status !== undefined) reply.status = rule.status;
          write(res, reply);
          record(reply.status, rule.kind);
          return;
        }
        case 'server-error': {
          const status = rule.status ?? 500;
          write(res, {
            status,
            json: [{ ErrorCode: status, Exception: 'An unexpected error occurred. Please try again later.' }],
          });
          record(status, rule.kind);
          return;
        }
        case 'error-body-200':
          write(res, {
            status: 200,
            json: [
              { ErrorCode: rule.status ?? 500, Exception: 'Object reference not set to an instance of an object.' },
            ],
          });
          record(200, rule.kind);
          return;
        case 'html-200':
          write(res, { status: 200, html: notFoundHtml });
          record(200, rule.kind);
          return;
        case 'lost-response':
          break;
      }
    }

    const rawBody = method === 'POST' || method === 'PUT' ? await readBody(req) : '';
    let reply: Reply;
    const accountId = req.headers['api-auth-accountid'];
    const key = req.headers['api-auth-applicationkey'];
    if (accountId !== options.accountId || key !== applicationKey) {
      reply = { status: 403, json: [{ ErrorCode: 403, Exception: 'Incorrect credentials!' }] };
    } else {
      reply = checkRateLimit() ?? { status: 0 };
      if (reply.status === 0) {
        const prefix = /^\/externalapi\/v2\//i.exec(path);
        const endpoint = prefix ? path.slice(prefix[0].length).replace(/\/+$/, '').toLowerCase() : undefined;
        let body: unknown;
        try {
          body = rawBody === '' ? undefined : JSON.parse(rawBody);
          const query = queryMap(url);
          received.push({
            method,
            path,
            query: Object.fromEntries(url.searchParams),
            ...(body === undefined ? {} : { body }),
          });
          reply = endpoint === undefined ? { status: 200, html: notFoundHtml } : route(method, endpoint, query, body);
        } catch (error) {
          if (error instanceof SimError) reply = error.reply;
          // Reference §1.2: 500 = "the object could not be parsed".
          else if (error instanceof SyntaxError)
            reply = { status: 500, json: [{ ErrorCode: 500, Exception: 'The object could not be parsed.' }] };
          else throw error;
        }
      }
    }

    if (appliedFault === 'lost-response') {
      // The work is committed; the caller never learns the outcome.
      record(reply.status, 'lost-response');
      req.socket.destroy();
      return;
    }
    write(res, reply);
    record(reply.status, appliedFault);
  }

  const server = await startHttpServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) write(res, { status: 500, json: [{ ErrorCode: 500, Exception: String(error) }] });
      else res.destroy();
    });
  });

  // ---------------------------------------------------------------------------------------------- public API

  return {
    baseUrl: `${server.url}/ExternalApi/v2/`,
    state,
    faults,
    received,
    rotateApplicationKey(key) {
      applicationKey = key;
    },
    addSupplier: newSupplier,
    updateSupplier(id, patch) {
      const s = mustFind(state.suppliers, id, 'supplier');
      const { Addresses, Contacts, ...rest } = patch;
      Object.assign(s, rest);
      if (Addresses)
        s.Addresses = Addresses.map((a) => ({ ...a, ID: a.ID ?? guid(), DefaultForType: a.DefaultForType ?? true }));
      if (Contacts) s.Contacts = Contacts.map((c) => ({ ...c, ID: c.ID ?? guid(), Default: c.Default ?? true }));
      s.LastModifiedOn = nowDate();
      return s;
    },
    addProduct: newProduct,
    updateProduct(id, patch) {
      const p = mustFind(state.products, id, 'product');
      Object.assign(p, patch);
      p.LastModifiedOn = nowDate();
      return p;
    },
    addPurchase: newPurchase,
    updatePurchase(purchaseId, patch) {
      const p = mustFind(state.purchases, purchaseId, 'purchase');
      Object.assign(p, patch);
      touch(p);
      return p;
    },
    addInvoice(purchaseId, input = {}) {
      const p = mustFind(state.purchases, purchaseId, 'purchase');
      const inv = addInvoiceTo(p, input);
      deriveStatus(p);
      touch(p);
      return inv;
    },
    updateInvoice(purchaseId, taskId, patch) {
      const { p, inv } = findInvoice(purchaseId, taskId);
      if (patch.InvoiceNumber !== undefined) inv.InvoiceNumber = patch.InvoiceNumber;
      if (patch.InvoiceDate !== undefined) inv.InvoiceDate = patch.InvoiceDate;
      if (patch.InvoiceDueDate !== undefined) inv.InvoiceDueDate = patch.InvoiceDueDate;
      if (patch.Lines !== undefined) inv.Lines = patch.Lines.map((l) => buildLine(p, l));
      if (patch.AdditionalCharges !== undefined)
        inv.AdditionalCharges = patch.AdditionalCharges.map((c) => buildCharge(p, c));
      totalInvoice(p, inv);
      touch(p);
      return inv;
    },
    authoriseInvoice: (purchaseId, taskId) => setInvoiceStatus(purchaseId, taskId, 'AUTHORISED'),
    voidInvoice: (purchaseId, taskId) => setInvoiceStatus(purchaseId, taskId, 'VOIDED'),
    payInvoice: (purchaseId, taskId) => setInvoiceStatus(purchaseId, taskId, 'PAID'),
    addCreditNote(purchaseId, input = {}) {
      const p = mustFind(state.purchases, purchaseId, 'purchase');
      const note = addCreditNoteTo(p, input);
      touch(p);
      return note;
    },
    updateCreditNote(purchaseId, taskId, patch) {
      const { p, note } = findCreditNote(purchaseId, taskId);
      if (patch.CreditNoteNumber !== undefined) note.CreditNoteNumber = patch.CreditNoteNumber;
      if (patch.Lines !== undefined) note.Lines = patch.Lines.map((l) => buildLine(p, l));
      totalInvoice(p, note);
      touch(p);
      return note;
    },
    authoriseCreditNote(purchaseId, taskId) {
      const { p, note } = findCreditNote(purchaseId, taskId);
      note.Status = 'AUTHORISED';
      touch(p);
      return note;
    },
    voidCreditNote(purchaseId, taskId) {
      const { p, note } = findCreditNote(purchaseId, taskId);
      Object.assign(note, { Status: 'VOIDED', Lines: [], AdditionalCharges: [], TotalBeforeTax: 0, Tax: 0, Total: 0 });
      touch(p);
      return note;
    },
    addAccount(input) {
      const a: SimAccount = { Type: 'EXPENSE', Class: 'EXPENSE', Status: 'ACTIVE', Description: '', ...input };
      state.accounts.push(a);
      return a;
    },
    addTaxRule(input) {
      const t = taxRule(guid(), input);
      state.taxRules.push(t);
      return t;
    },
    addPaymentTerm(input) {
      const t: SimPaymentTerm = {
        ID: guid(),
        Duration: 30,
        Method: 'number of days',
        IsActive: true,
        IsDefault: false,
        ...input,
      };
      state.paymentTerms.push(t);
      return t;
    },
    addLocation(name) {
      const l: SimLocation = { ID: guid(), Name: name, IsDefault: false, Deprecated: false };
      state.locations.push(l);
      return l;
    },
    addCategory(name) {
      const c = { ID: guid(), Name: name };
      state.categories.push(c);
      return c;
    },
    addUnit(name) {
      const u = { ID: guid(), Name: name };
      state.units.push(u);
      return u;
    },
    addWebhook(input) {
      const w: SimWebhook = {
        ID: guid(),
        Name: webhookTypeNames[input.Type] ?? input.Type,
        IsActive: true,
        ExternalAuthorizationType: 'noauth',
        ExternalUserName: null,
        ExternalPassword: null,
        ExternalBearerToken: null,
        ExternalHeaders: [],
        ...input,
      };
      state.webhooks.push(w);
      return w;
    },
    webhookPayload: (event) => buildWebhookPayload(state, event, random),
    async deliverWebhooks(event, deliverOptions = {}) {
      const payload = JSON.stringify(buildWebhookPayload(state, event, random));
      const attempts = Math.max(1, deliverOptions.attempts ?? 1);
      const results: WebhookDelivery[] = [];
      for (const hook of state.webhooks.filter((w) => w.Type === event.type && w.IsActive)) {
        let status: number | undefined;
        let made = 0;
        let ok = false;
        let deactivated = false;
        while (made < attempts && hook.IsActive) {
          made += 1;
          status = await postWebhook(hook, payload, deliverOptions.timeoutMs ?? 5000);
          ok = status !== undefined && status >= 200 && status < 300;
          if (ok) {
            failures.delete(hook.ID);
            break;
          }
          const count = (failures.get(hook.ID) ?? 0) + 1;
          failures.set(hook.ID, count);
          if (count >= maxFailedDeliveries) {
            hook.IsActive = false;
            deactivated = true;
          }
        }
        results.push({
          webhookId: hook.ID,
          ...(status === undefined ? {} : { status }),
          ok,
          attempts: made,
          deactivated,
        });
      }
      return results;
    },
    deliveryFailures: (webhookId) => failures.get(webhookId) ?? 0,
    close: () => server.close(),
  };
}
