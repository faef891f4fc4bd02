/**
 * Purchase invoices and credit memos in BC (APIV2PurchaseInvoices.Page.al, APIV2PurchaseCreditMemos.Page.al and
 * their lines): the look-up by the supplier's number, the read with lines and dimensions, the deep insert, the
 * delete of a draft, post + read in one `$batch`, a memo's application, and the dimensions of a draft's lines.
 * `client.ts` builds the company's `BcCompanyApi` and spreads these methods into the `BcPort` it returns.
 */
import type { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import type { BcPort, PurchaseDocumentKind } from '../core/ports/bc.js';
import { postAndReadBatch, readBatch, succeeded } from './batch.js';
import { buildQuery, isGuid, odata } from './odata.js';
import { parseEntity } from './parse.js';
import { collect, type BcReader } from './reads.js';
import {
  BcDimensionSetLine,
  BcPage,
  BcPurchaseCreditMemo,
  BcPurchaseCreditMemoWithLines,
  BcPurchaseInvoice,
  BcPurchaseInvoiceWithLines,
  type BcPurchaseCreditMemoCreate,
  type BcPurchaseInvoiceCreate,
} from './schemas.js';
import type { BcRequest, BcSend } from './transport.js';

/** What the document methods need from the client: the company's URLs, the transport and its readers. */
export interface BcCompanyApi {
  /** `{base}/{tenant}/{environment}/api/v2.0`. */
  apiRoot: string;
  /** `{apiRoot}/companies({id})`. */
  companyRoot: string;
  apiOrigin: string;
  clock: Pick<Clock, 'now'>;
  send: BcSend;
  reader: BcReader;
  /** A write whose answer is the entity written. */
  write: <S extends z.ZodType>(schema: S, entity: string, req: BcRequest) => Promise<z.output<S>>;
  /** `{companyRoot}/{entitySet}({id})`, refusing an id that is not a GUID. */
  entityUrl: (entitySet: string, id: string, operation: string) => string;
  /** A DELETE that succeeds when the thing is already gone. */
  deleteIfPresent: (url: string, operation: string, etag: string) => Promise<void>;
}

type PurchaseDocumentMethods = Pick<
  BcPort,
  | 'createLineDimension'
  | 'updateLineDimension'
  | 'findPurchaseInvoices'
  | 'getPurchaseInvoice'
  | 'createPurchaseInvoice'
  | 'deletePurchaseInvoice'
  | 'postPurchaseInvoiceAndRead'
  | 'findPurchaseCreditMemos'
  | 'findPurchaseCreditMemosAndReadInvoice'
  | 'getPurchaseCreditMemo'
  | 'createPurchaseCreditMemo'
  | 'unapplyPurchaseCreditMemo'
  | 'deletePurchaseCreditMemo'
  | 'postPurchaseCreditMemoAndRead'
>;

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

/** The purchase document methods of `BcPort` over one company's API. */
export function createPurchaseDocumentMethods(api: BcCompanyApi): PurchaseDocumentMethods {
  const { apiRoot, companyRoot, apiOrigin, clock, send, write, entityUrl, deleteIfPresent } = api;
  const { getOne, listAll } = api.reader;

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
        { id: 'invoice', path: relative(invoiceUrl), mayBeAbsent: true },
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

  return {
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
  };
}
