/**
 * The Business Central API v2.0 client behind `BcPort` (reference/bc-api.md). Every call is scoped to the
 * configured tenant, environment and company, and says whether it may be repeated (`retry.ts`); sending,
 * limiting, retrying and classifying are the transport's (`transport.ts`). This file knows BC's URLs and
 * entities only.
 */
import type { TokenCredential } from '@azure/identity';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import type { BackoffOptions } from '../http/backoff.js';
import type { RateLimiter } from '../http/rate-limiter.js';
import { systemClock, type Clock } from '../core/clock.js';
import { NotFoundError, ValidationError, isConnectorError } from '../core/errors.js';
import type { BcPort, PurchaseDocumentKind } from '../core/ports/bc.js';
import type { DependencyCall } from '../core/ports/telemetry.js';
import { BC_SCOPE } from './auth.js';
import { postAndReadBatch, readBatch, succeeded } from './batch.js';
import { andFilters, buildQuery, isGuid, odata, quotedKey } from './odata.js';
import { parseEntity, parseJson } from './parse.js';
import {
  BcAccount,
  BcCodeEntity,
  BcCompany,
  BcCompanyInformation,
  BcDefaultDimension,
  BcDimension,
  BcDimensionSetLine,
  BcDimensionValue,
  BcItem,
  BcPage,
  BcPurchaseCreditMemo,
  BcPurchaseCreditMemoWithLines,
  BcPurchaseInvoice,
  BcPurchaseInvoiceWithLines,
  BcSubscription,
  BcVendor,
  type BcPurchaseCreditMemoCreate,
  type BcPurchaseInvoiceCreate,
  type BcVendorInput,
} from './schemas.js';
import { createTokenProvider } from './token-provider.js';
import { collect, createBcReader } from './reads.js';
import { createBcTransport, type BcRequest, type BcThrottleInfo } from './transport.js';

/** Re-exported so composition code can import the client and its limiter from one module. */
export { createBcLimiter, type CreateBcLimiterOptions } from './limiter.js';
export type { BcThrottleInfo } from './transport.js';

export interface CreateBcClientOptions {
  /** `BC_API_BASE_URL`, e.g. `https://api.businesscentral.dynamics.com/v2.0`. */
  baseUrl: string;
  tenantId: string;
  environment: string;
  companyId: string;
  /** From `createBcCredential` (or a fake in tests). */
  credential: TokenCredential;
  clock?: Clock;
  /** The process's one BC limiter (`createBcLimiter`), owned by `src/compose/`: every client calls as one user. */
  limiter: RateLimiter;
  /** Retries after the first attempt (default 5). */
  maxRetries?: number;
  /** Total time spent waiting between attempts of one call before giving up (default 120 s). */
  maxRetryWaitMs?: number;
  backoff?: BackoffOptions;
  /** undici dispatcher (connection pool, proxy, tests). */
  dispatcher?: Dispatcher;
  /** `Prefer: odata.maxpagesize` (default 1,000; BC's maximum is 20,000). */
  pageSize?: number;
  /** Per-request timeout (default 120 s). */
  requestTimeoutMs?: number;
  onThrottle?: (info: BcThrottleInfo) => void;
  /**
   * Called once per HTTP attempt, retries, throttled answers and the repeat after a 401 included (status 0
   * for a network error), for dependency telemetry. The operation is the client method (`findVendors`),
   * the target the API host: no path, query string, header, body or id.
   */
  onRequest?: (call: DependencyCall) => void;
}

const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

interface DocumentSet {
  /** Names the client operations (`findPurchaseInvoices`, `postPurchaseCreditMemo`). */
  name: 'PurchaseInvoice' | 'PurchaseCreditMemo';
  entitySet: string;
  linesSet: string;
  /** The $filter on the supplier's own number, the duplicate key (quotes doubled by the odata template). */
  numberFilter: (number: string) => string;
  noun: string;
}

/** What a purchase document says of its vendor: BC's duplicate check at posting is by pay-to vendor. */
interface VendorSides {
  vendorNumber?: string | undefined;
  payToVendorNumber?: string | undefined;
}

/** The documents whose buy-from or pay-to vendor is this one (BC compares vendor numbers without case). */
function ofVendor<T extends VendorSides>(documents: T[], vendorNumber: string): T[] {
  const wanted = vendorNumber.toUpperCase();
  return documents.filter(
    (d) => d.vendorNumber?.toUpperCase() === wanted || d.payToVendorNumber?.toUpperCase() === wanted,
  );
}

/** APIV2PurchaseInvoices.Page.al and APIV2PurchaseCreditMemos.Page.al (with APIV2PurchCrMemoLines.Page.al). */
const documentSets: Record<PurchaseDocumentKind, DocumentSet> = {
  invoice: {
    name: 'PurchaseInvoice',
    entitySet: 'purchaseInvoices',
    linesSet: 'purchaseInvoiceLines',
    numberFilter: (number) => odata`vendorInvoiceNumber eq ${number}`,
    noun: 'purchase invoice',
  },
  'credit-memo': {
    name: 'PurchaseCreditMemo',
    entitySet: 'purchaseCreditMemos',
    linesSet: 'purchaseCreditMemoLines',
    numberFilter: (number) => odata`vendorCreditMemoNumber eq ${number}`,
    noun: 'purchase credit memo',
  },
};

/** Creates the BC client. See `BcPort` for the meaning of each method. */
export function createBcClient(options: CreateBcClientOptions): BcPort {
  const clock = options.clock ?? systemClock;
  const pageSize = options.pageSize ?? 1000;
  const base = options.baseUrl.replace(/\/+$/, '');
  const apiRoot = `${base}/${encodeURIComponent(options.tenantId)}/${encodeURIComponent(options.environment)}/api/v2.0`;
  if (!isGuid(options.companyId)) {
    throw new ValidationError('BC client: BC_COMPANY_ID must be a GUID', { system: 'config' });
  }
  const companyRoot = `${apiRoot}/companies(${options.companyId})`;
  const apiOrigin = new URL(apiRoot).origin;
  const { send } = createBcTransport({
    tokens: createTokenProvider({ credential: options.credential, scope: BC_SCOPE, clock }),
    limiter: options.limiter,
    clock,
    apiHost: new URL(apiRoot).host,
    maxRetries: options.maxRetries ?? 5,
    maxRetryWaitMs: options.maxRetryWaitMs ?? 120_000,
    backoff: options.backoff ?? DEFAULT_BACKOFF,
    requestTimeoutMs: options.requestTimeoutMs ?? 120_000,
    dispatcher: options.dispatcher,
    onThrottle: options.onThrottle,
    onRequest: options.onRequest,
  });

  const { getOne, listAll } = createBcReader(send, apiOrigin, pageSize);

  /** A write whose answer is the entity written. */
  async function write<S extends z.ZodType>(schema: S, entity: string, req: BcRequest): Promise<z.output<S>> {
    const answer = await send(req);
    return parseEntity(schema, parseJson(answer.text, req.operation), entity, req.operation);
  }

  function entityUrl(entitySet: string, id: string, operation: string): string {
    if (!isGuid(id))
      throw new ValidationError(`BC ${operation}: '${id.slice(0, 40)}' is not a BC id (GUID)`, { system: 'bc' });
    return `${companyRoot}/${entitySet}(${id.toLowerCase()})`;
  }

  /** The drafts and posted documents of one entity set under one supplier number, of the vendor (buy-from, pay-to). */
  async function findDocuments<S extends z.ZodType<VendorSides>>(
    set: DocumentSet,
    schema: S,
    vendorNumber: string,
    number: string,
  ): Promise<Array<z.output<S>>> {
    const operation = `find${set.name}s ${vendorNumber}/${number}`;
    const found = await collect(listAll(schema, set.noun, documentsByNumberUrl(set, number), operation));
    return ofVendor(found, vendorNumber);
  }

  function documentsByNumberUrl(set: DocumentSet, number: string): string {
    // DESIGN §3.1: the look-up before any re-create; quotes in the supplier's number are doubled. OData 'or'
    // across two fields is refused by BC, so the filter is on the number alone and the vendor is matched here.
    return `${companyRoot}/${set.entitySet}${buildQuery({ $filter: set.numberFilter(number) })}`;
  }

  /**
   * The credit memo look-up and the read of the posted invoice the memo would apply to, in one `$batch`: the
   * look-up costs a request anyway, and BC applies a memo only to an invoice that is still open.
   */
  async function findCreditMemosAndReadInvoice(
    filter: { vendorNumber: string; vendorCreditMemoNumber: string },
    invoiceId: string,
  ): Promise<{ memos: BcPurchaseCreditMemo[]; invoice: BcPurchaseInvoice | undefined }> {
    const set = documentSets['credit-memo'];
    const operation = `findPurchaseCreditMemos ${filter.vendorNumber}/${filter.vendorCreditMemoNumber}`;
    const invoiceUrl = entityUrl(documentSets.invoice.entitySet, invoiceId, operation);
    const relative = (url: string): string => url.slice(apiRoot.length + 1);
    const batch = readBatch({
      batchUrl: `${apiRoot}/$batch`,
      reads: [
        { id: 'memos', path: relative(documentsByNumberUrl(set, filter.vendorCreditMemoNumber)) },
        { id: 'invoice', path: relative(invoiceUrl) },
      ],
      operation,
      dependencyName: 'findPurchaseCreditMemosAndReadInvoice',
      clock,
    });
    const answers = batch.answers(await send(batch.request));
    const page = parseEntity(BcPage, answers.get('memos')?.body, `${set.noun} page`, operation);
    const memos = page.value.map((row) => parseEntity(BcPurchaseCreditMemo, row, set.noun, operation));
    // More than one page under one supplier number is not expected; the rest is read the usual way.
    const next = page['@odata.nextLink'];
    if (next !== undefined && new URL(next, apiOrigin).origin !== apiOrigin) {
      throw new ValidationError(`BC ${operation}: next link points to another host`, { system: 'bc' });
    }
    if (next !== undefined) memos.push(...(await collect(listAll(BcPurchaseCreditMemo, set.noun, next, operation))));
    const invoiceAnswer = answers.get('invoice');
    const invoice =
      invoiceAnswer !== undefined && succeeded(invoiceAnswer)
        ? parseEntity(BcPurchaseInvoice, invoiceAnswer.body, documentSets.invoice.noun, operation)
        : undefined;
    return { memos: ofVendor(memos, filter.vendorNumber), invoice };
  }

  function getDocument<S extends z.ZodType>(set: DocumentSet, schema: S, id: string): Promise<z.output<S> | undefined> {
    const operation = `get${set.name} ${id}`;
    // reference §1.5: the lines and their dimension set lines come in the same request.
    const query = buildQuery({ $expand: `${set.linesSet}($expand=dimensionSetLines)` });
    return getOne(schema, set.noun, `${entityUrl(set.entitySet, id, operation)}${query}`, operation);
  }

  function createDocument<S extends z.ZodType>(
    set: DocumentSet,
    schema: S,
    body: object,
    key: string,
  ): Promise<z.output<S>> {
    // reference §1.5: deep insert of header + lines + line dimensions, atomic. NEVER retried on 5xx or a
    // lost answer (DESIGN §3.1): the document may exist; the caller looks it up by the supplier's number.
    return write(schema, set.noun, {
      method: 'POST',
      url: `${companyRoot}/${set.entitySet}`,
      operation: `create${set.name} ${key}`,
      retry: 'unprocessed-only',
      body,
    });
  }

  async function deleteDocument(set: DocumentSet, id: string, etag: string): Promise<void> {
    // OnDeleteRecord of the invoice and credit memo pages: a draft's Purchase Header is deleted. Guarded by the
    // ETag read with the draft, so a draft someone changed since is not deleted; repeating is harmless.
    await deleteIfPresent(entityUrl(set.entitySet, id, `delete${set.name} ${id}`), `delete${set.name} ${id}`, etag);
  }

  /** `delete…` succeeds when the thing is already gone (STYLE: naming); the ETag guards a changed one. */
  async function deleteIfPresent(url: string, operation: string, etag: string): Promise<void> {
    try {
      await send({ method: 'DELETE', url, operation, retry: 'idempotent', ifMatch: etag });
    } catch (error) {
      if (isConnectorError(error) && error.kind === 'not-found') return;
      throw error;
    }
  }

  async function postAndRead<S extends z.ZodType>(set: DocumentSet, schema: S, id: string): Promise<z.output<S>> {
    const operation = `post${set.name} ${id}`;
    const documentUrl = entityUrl(set.entitySet, id, operation);
    const batch = postAndReadBatch({
      batchUrl: `${apiRoot}/$batch`,
      invoicePath: documentUrl.slice(apiRoot.length + 1),
      operation,
      dependencyName: `post${set.name}AndRead`,
      clock,
    });
    const read = batch.readAnswer(await send(batch.request));
    if (read !== undefined && read.status >= 200 && read.status < 300) {
      return parseEntity(schema, read.body, set.noun, operation);
    }
    // Posted, but the read inside the batch failed: one plain (retried) GET instead.
    const posted = await getOne(schema, set.noun, documentUrl, `get${set.name} ${id}`);
    if (posted === undefined)
      throw new NotFoundError(`BC ${operation}: the ${set.noun} was posted but cannot be read back`, { system: 'bc' });
    return posted;
  }

  function lineUrl(set: DocumentSet, documentId: string, lineId: string, operation: string): string {
    return `${entityUrl(set.entitySet, documentId, operation)}/${set.linesSet}(${lineGuid(lineId, operation)})`;
  }

  function lineGuid(id: string, operation: string): string {
    if (!isGuid(id))
      throw new ValidationError(`BC ${operation}: '${id.slice(0, 40)}' is not a BC id (GUID)`, { system: 'bc' });
    return id.toLowerCase();
  }

  function modifiedSinceQuery(modifiedSince: Date | undefined): string {
    return buildQuery({ $filter: modifiedSince ? odata`lastModifiedDateTime gt ${modifiedSince}` : undefined });
  }

  function subscriptionResource(resource: string): string {
    // A bare entity set ("vendors") means this client's company (reference §6.1: resource may be relative).
    return /^[A-Za-z]+$/.test(resource) ? `/api/v2.0/companies(${options.companyId})/${resource}` : resource;
  }

  return {
    // reference §1.1: GET {base}/{tenant}/{env}/api/v2.0/companies
    listCompanies: () => collect(listAll(BcCompany, 'company', `${apiRoot}/companies`, 'listCompanies')),

    async getCompanyInformation() {
      const operation = 'getCompanyInformation';
      // A collection with exactly one row per company.
      const rows = await collect(
        listAll(BcCompanyInformation, 'company information', `${companyRoot}/companyInformation`, operation),
      );
      const row = rows[0];
      if (row === undefined)
        throw new ValidationError(`BC ${operation}: the company has no company information`, { system: 'bc' });
      return {
        ...(row.displayName !== undefined ? { displayName: row.displayName } : {}),
        currencyCode: row.currencyCode,
      };
    },

    listVendors: (listOptions = {}) =>
      listAll(
        BcVendor,
        'vendor',
        `${companyRoot}/vendors${modifiedSinceQuery(listOptions.modifiedSince)}`,
        'listVendors',
      ),

    getVendor: (id) => getOne(BcVendor, 'vendor', entityUrl('vendors', id, `getVendor ${id}`), `getVendor ${id}`),

    async findVendors(filter) {
      // Only table fields: `taxRegistrationNumber` and `currencyCode` are page variables BC cannot filter on
      // (APIV2Vendors.Page.al:129, :171); callers match those in memory on the listed vendors.
      const clauses = andFilters([
        filter.number !== undefined ? odata`number eq ${filter.number}` : undefined,
        filter.displayName !== undefined ? odata`displayName eq ${filter.displayName}` : undefined,
      ]);
      if (clauses === undefined) throw new ValidationError('BC findVendors: give at least one field', { system: 'bc' });
      return collect(
        listAll(BcVendor, 'vendor', `${companyRoot}/vendors${buildQuery({ $filter: clauses })}`, 'findVendors'),
      );
    },

    async createVendor(input: BcVendorInput) {
      const operation = `createVendor ${input.number ?? input.displayName ?? ''}`.trim();
      // Not retried except on 429: a vendor may have been created; the caller finds before creating again.
      return write(BcVendor, 'vendor', {
        method: 'POST',
        url: `${companyRoot}/vendors`,
        operation,
        retry: 'unprocessed-only',
        body: input,
      });
    },

    async updateVendor(id, etag, patch) {
      const operation = `updateVendor ${id}`;
      // reference §1.3: PATCH needs If-Match; a stale ETag is 409 Request_EntityChanged, retried after a re-read.
      return write(BcVendor, 'vendor', {
        method: 'PATCH',
        url: entityUrl('vendors', id, operation),
        operation,
        retry: 'idempotent',
        ifMatch: etag,
        body: patch,
      });
    },

    listItems: (listOptions = {}) =>
      listAll(BcItem, 'item', `${companyRoot}/items${modifiedSinceQuery(listOptions.modifiedSince)}`, 'listItems'),

    getItem: (id) => getOne(BcItem, 'item', entityUrl('items', id, `getItem ${id}`), `getItem ${id}`),

    listAccounts: () => listAll(BcAccount, 'account', `${companyRoot}/accounts`, 'listAccounts'),
    listDimensions: () => listAll(BcDimension, 'dimension', `${companyRoot}/dimensions`, 'listDimensions'),
    listDimensionValues: () =>
      listAll(BcDimensionValue, 'dimension value', `${companyRoot}/dimensionValues`, 'listDimensionValues'),
    listPaymentTerms: () => listAll(BcCodeEntity, 'payment term', `${companyRoot}/paymentTerms`, 'listPaymentTerms'),
    listCurrencies: () => listAll(BcCodeEntity, 'currency', `${companyRoot}/currencies`, 'listCurrencies'),
    listTaxGroups: () => listAll(BcCodeEntity, 'tax group', `${companyRoot}/taxGroups`, 'listTaxGroups'),
    listUnitsOfMeasure: () =>
      listAll(BcCodeEntity, 'unit of measure', `${companyRoot}/unitsOfMeasure`, 'listUnitsOfMeasure'),
    // APIV2CountriesRegions.Page.al: code (:30) and displayName (:40) of the table Vendor.country relates to.
    listCountriesRegions: () =>
      listAll(BcCodeEntity, 'country/region', `${companyRoot}/countriesRegions`, 'listCountriesRegions'),

    // APIV2DefaultDimensions.Page.al: every API page is also reachable at company level.
    listDefaultDimensions: () =>
      listAll(BcDefaultDimension, 'default dimension', `${companyRoot}/defaultDimensions`, 'listDefaultDimensions'),

    async createLineDimension(invoiceId, lineId, dimension, kind = 'invoice') {
      const operation = `createLineDimension ${lineId}/${dimension.code}`;
      // APIV2DimensionSetLines.Page.al:172-197: a dimension already on the line fails, so a POST that may
      // have landed is not repeated; the caller's read of the draft settles it.
      return write(BcDimensionSetLine, 'dimension set line', {
        method: 'POST',
        url: `${lineUrl(documentSets[kind], invoiceId, lineId, operation)}/dimensionSetLines`,
        operation,
        retry: 'unprocessed-only',
        body: { code: dimension.code, valueCode: dimension.valueCode },
      });
    },

    async updateLineDimension(invoiceId, lineId, dimension, kind = 'invoice') {
      const operation = `updateLineDimension ${lineId}/${dimension.id}`;
      // APIV2DimensionSetLines.Page.al:201-216: only the value changes; setting the same value again is harmless.
      const line = lineUrl(documentSets[kind], invoiceId, lineId, operation);
      return write(BcDimensionSetLine, 'dimension set line', {
        method: 'PATCH',
        url: `${line}/dimensionSetLines(${lineGuid(dimension.id, operation)})`,
        operation,
        retry: 'idempotent',
        ifMatch: dimension.etag,
        body: { valueCode: dimension.valueCode },
      });
    },

    findPurchaseInvoices: (filter) =>
      findDocuments(documentSets.invoice, BcPurchaseInvoice, filter.vendorNumber, filter.vendorInvoiceNumber),
    getPurchaseInvoice: (id) => getDocument(documentSets.invoice, BcPurchaseInvoiceWithLines, id),
    createPurchaseInvoice: (body: BcPurchaseInvoiceCreate) =>
      createDocument(documentSets.invoice, BcPurchaseInvoice, body, `${body.vendorNumber}/${body.vendorInvoiceNumber}`),
    deletePurchaseInvoice: (id, etag) => deleteDocument(documentSets.invoice, id, etag),
    postPurchaseInvoiceAndRead: (id) => postAndRead(documentSets.invoice, BcPurchaseInvoice, id),

    findPurchaseCreditMemosAndReadInvoice: findCreditMemosAndReadInvoice,
    findPurchaseCreditMemos: (filter) =>
      findDocuments(
        documentSets['credit-memo'],
        BcPurchaseCreditMemo,
        filter.vendorNumber,
        filter.vendorCreditMemoNumber,
      ),
    getPurchaseCreditMemo: (id) => getDocument(documentSets['credit-memo'], BcPurchaseCreditMemoWithLines, id),
    createPurchaseCreditMemo: (body: BcPurchaseCreditMemoCreate) =>
      createDocument(
        documentSets['credit-memo'],
        BcPurchaseCreditMemo,
        body,
        `${body.vendorNumber}/${body.vendorCreditMemoNumber}`,
      ),
    unapplyPurchaseCreditMemo(id, etag) {
      const operation = `unapplyPurchaseCreditMemo ${id}`;
      // The empty GUID clears Applies-to Doc. No. (APIV2PurchaseCreditMemos.Page.al:473-479); repeating it is harmless.
      return write(BcPurchaseCreditMemo, documentSets['credit-memo'].noun, {
        method: 'PATCH',
        url: entityUrl(documentSets['credit-memo'].entitySet, id, operation),
        operation,
        retry: 'idempotent',
        ifMatch: etag,
        body: { invoiceId: '00000000-0000-0000-0000-000000000000' },
      });
    },
    deletePurchaseCreditMemo: (id, etag) => deleteDocument(documentSets['credit-memo'], id, etag),
    postPurchaseCreditMemoAndRead: (id) => postAndRead(documentSets['credit-memo'], BcPurchaseCreditMemo, id),

    // reference §6.1: subscriptions are not company-scoped.
    listSubscriptions: () =>
      collect(listAll(BcSubscription, 'subscription', `${apiRoot}/subscriptions`, 'listSubscriptions')),

    async createSubscription(input) {
      const operation = `createSubscription ${input.resource}`;
      // Not retried except on 429: a duplicate subscription would double every notification.
      return write(BcSubscription, 'subscription', {
        method: 'POST',
        url: `${apiRoot}/subscriptions`,
        operation,
        retry: 'unprocessed-only',
        body: {
          notificationUrl: input.notificationUrl,
          resource: subscriptionResource(input.resource),
          clientState: input.clientState,
        },
      });
    },

    async renewSubscription({ subscriptionId, notificationUrl, resource, clientState }, etag) {
      const operation = `renewSubscription ${subscriptionId}`;
      // reference §6.2: a PATCH renews for another 3 days (BC handshakes again); the documented PATCH body
      // carries notificationUrl, resource and clientState, not an empty object.
      return write(BcSubscription, 'subscription', {
        method: 'PATCH',
        url: `${apiRoot}/subscriptions(${quotedKey(subscriptionId)})`,
        operation,
        retry: 'idempotent',
        ifMatch: etag,
        body: { notificationUrl, resource: subscriptionResource(resource), clientState },
      });
    },

    async deleteSubscription(subscriptionId, etag) {
      const operation = `deleteSubscription ${subscriptionId}`;
      await deleteIfPresent(`${apiRoot}/subscriptions(${quotedKey(subscriptionId)})`, operation, etag);
    },
  };
}
