/**
 * The Business Central API v2.0 client behind `BcPort` (reference/bc-api.md). Every call is scoped to the
 * configured tenant, environment and company, and says whether it may be repeated (`retry.ts`); sending,
 * limiting, retrying and classifying are the transport's (`transport.ts`). This file knows BC's URLs and
 * entities only; the purchase documents' are in `purchase-documents.ts`.
 */
import type { TokenCredential } from '@azure/identity';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import type { BackoffOptions } from '../http/backoff.js';
import type { RateLimiter } from '../http/rate-limiter.js';
import { systemClock, type Clock } from '../core/clock.js';
import { ValidationError, isConnectorError } from '../core/errors.js';
import type { BcPort } from '../core/ports/bc.js';
import type { DependencyCall } from '../core/ports/telemetry.js';
import { BC_SCOPE } from './auth.js';
import { andFilters, buildQuery, isGuid, odata, quotedKey } from './odata.js';
import { parseEntity, parseJson } from './parse.js';
import {
  BcAccount,
  BcCodeEntity,
  BcCompany,
  BcCompanyInformation,
  BcDefaultDimension,
  BcDimension,
  BcDimensionValue,
  BcItem,
  BcSubscription,
  BcVendor,
  type BcVendorInput,
} from './schemas.js';
import { createTokenProvider } from './token-provider.js';
import { createPurchaseDocumentMethods } from './purchase-documents.js';
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

  const reader = createBcReader(send, apiOrigin, pageSize);
  const { getOne, listAll } = reader;

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

  /** `delete…` succeeds when the thing is already gone (STYLE: naming); the ETag guards a changed one. */
  async function deleteIfPresent(url: string, operation: string, etag: string): Promise<void> {
    try {
      await send({ method: 'DELETE', url, operation, retry: 'idempotent', ifMatch: etag });
    } catch (error) {
      if (isConnectorError(error) && error.kind === 'not-found') return;
      throw error;
    }
  }

  const api = { apiRoot, companyRoot, apiOrigin, clock, send, reader, write, entityUrl, deleteIfPresent };

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

    ...createPurchaseDocumentMethods(api),

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
