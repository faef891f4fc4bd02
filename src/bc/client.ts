/**
 * The Business Central API v2.0 client behind `BcPort` (reference/bc-api.md). Every call is scoped to the
 * configured tenant, environment and company. Transport is a fixed chain:
 *
 *   limit (6,000 / 5 min, 5 concurrent) → retry (only when safe) → auth (401: one refresh) → classify → fetch
 *
 * Tokens and secrets never reach an error, and URLs (with their filters) are not put in messages.
 */
import type { TokenCredential } from '@azure/identity';
import { request, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { parseRetryAfterMs, retryDelayMs, type BackoffOptions } from '../http/backoff.js';
import { createRateLimiter, type RateLimiter } from '../http/rate-limiter.js';
import { systemClock, type Clock } from '../core/clock.js';
import { NotFoundError, ValidationError, isConnectorError, type ConnectorError } from '../core/errors.js';
import type { BcPort } from '../core/ports/bc.js';
import type { DependencyCall } from '../core/ports/telemetry.js';
import { BC_SCOPE } from './auth.js';
import { classifyBcNetworkError, classifyBcResponse } from './classify.js';
import { andFilters, buildQuery, isGuid, odata, quotedKey } from './odata.js';
import {
  BcAccount,
  BcBatchResponse,
  BcCodeEntity,
  BcCompany,
  BcCompanyInformation,
  BcDimension,
  BcDimensionValue,
  BcItem,
  BcPage,
  BcPurchaseInvoice,
  BcPurchaseInvoiceWithLines,
  BcSubscription,
  BcVendor,
  type BcPurchaseInvoiceCreate,
  type BcVendorInput,
} from './schemas.js';
import { createTokenProvider, type TokenProvider } from './token-provider.js';

export interface BcThrottleInfo {
  operation: string;
  /** HTTP status that asked us to slow down (429, 503, 504). */
  status: number;
  /** What BC's `Retry-After` said, when it was present. */
  retryAfterMs: number | undefined;
  /** The wait chosen before the next attempt. */
  delayMs: number;
  /** 1 for the first retry. */
  attempt: number;
}

export interface CreateBcClientOptions {
  /** `BC_API_BASE_URL`, e.g. `https://api.businesscentral.dynamics.com/v2.0`. */
  baseUrl: string;
  tenantId: string;
  environment: string;
  companyId: string;
  /** From `createBcCredential` (or a fake in tests). */
  credential: TokenCredential;
  clock?: Clock;
  /** Shared by every BC client of the process (default: `sharedBcLimiter()`). */
  limiter?: RateLimiter;
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

/** reference/bc-api.md §7.1: 6,000 requests per 5-minute sliding window and 5 concurrent, per user. */
export const BC_REQUESTS_PER_WINDOW = 6000;
export const BC_WINDOW_MS = 5 * 60_000;
export const BC_MAX_CONCURRENT = 5;

/** A limiter with BC's per-user limits. Create one per process (all clients share the app's user). */
export function createBcLimiter(
  options: { clock?: Clock; limit?: number; windowMs?: number; maxConcurrent?: number } = {},
): RateLimiter {
  return createRateLimiter({
    limit: options.limit ?? BC_REQUESTS_PER_WINDOW,
    windowMs: options.windowMs ?? BC_WINDOW_MS,
    maxConcurrent: options.maxConcurrent ?? BC_MAX_CONCURRENT,
    clock: options.clock ?? systemClock,
  });
}

let processLimiter: RateLimiter | undefined;

/** The process-wide BC limiter used when a client is created without one. */
export function sharedBcLimiter(): RateLimiter {
  processLimiter ??= createBcLimiter();
  return processLimiter;
}

/**
 * How a call may be repeated after a failure.
 * - `idempotent`: GET, and PATCH/DELETE guarded by `If-Match` (a repeat of an applied PATCH fails with
 *   409 instead of applying twice). Retried on throttling, 5xx and network errors.
 * - `unprocessed-only`: a POST that creates something or posts a document. It may have reached BC when
 *   the answer is a 5xx, a timeout or a reset, so it is NOT retried then (DESIGN §3.1: the caller looks BC
 *   up before trying again). Only a 429 is retried: BC's throttling rejects the request before any AL code
 *   runs, so nothing was written.
 */
type RetryPolicy = 'idempotent' | 'unprocessed-only';

interface BcRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  /** For messages: the method and the record (`getVendor <id>`). */
  operation: string;
  /** For dependency telemetry when it differs from the first word of `operation`. */
  dependencyName?: string;
  retry: RetryPolicy;
  body?: unknown;
  ifMatch?: string;
  prefer?: string;
}

interface BcResponse {
  status: number;
  text: string;
}

const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/** Creates the BC client. See `BcPort` for the meaning of each method. */
export function createBcClient(options: CreateBcClientOptions): BcPort {
  const clock = options.clock ?? systemClock;
  const limiter = options.limiter ?? sharedBcLimiter();
  const maxRetries = options.maxRetries ?? 5;
  const maxRetryWaitMs = options.maxRetryWaitMs ?? 120_000;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const pageSize = options.pageSize ?? 1000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 120_000;
  const tokens: TokenProvider = createTokenProvider({ credential: options.credential, scope: BC_SCOPE, clock });

  const base = options.baseUrl.replace(/\/+$/, '');
  const apiRoot = `${base}/${encodeURIComponent(options.tenantId)}/${encodeURIComponent(options.environment)}/api/v2.0`;
  if (!isGuid(options.companyId)) {
    throw new ValidationError('BC client: BC_COMPANY_ID must be a GUID', { system: 'config' });
  }
  const companyRoot = `${apiRoot}/companies(${options.companyId})`;
  const apiOrigin = new URL(apiRoot).origin;
  const apiHost = new URL(apiRoot).host;

  /** One dependency record per attempt; the operation without its record ids, the host without any path. */
  function report(req: BcRequest, startedAt: number, status: number): void {
    if (options.onRequest === undefined) return;
    const call: DependencyCall = {
      system: 'bc',
      operation: req.dependencyName ?? req.operation.split(' ')[0] ?? '',
      method: req.method,
      target: apiHost,
      durationMs: Math.max(0, clock.now() - startedAt),
      status,
      success: status >= 200 && status < 300,
    };
    try {
      options.onRequest(call);
    } catch {
      // Telemetry must never fail a BC call.
    }
  }

  async function fetchOnce(req: BcRequest, token: string): Promise<BcResponse> {
    const startedAt = clock.now();
    try {
      const response = await fetchUnreported(req, token);
      report(req, startedAt, response.status);
      return response;
    } catch (error) {
      report(req, startedAt, 0);
      throw error;
    }
  }

  async function fetchUnreported(req: BcRequest, token: string): Promise<BcResponse> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
    };
    if (req.body !== undefined) headers['Content-Type'] = 'application/json';
    if (req.ifMatch !== undefined) headers['If-Match'] = req.ifMatch;
    if (req.prefer !== undefined) headers.Prefer = req.prefer;
    const response = await request(req.url, {
      method: req.method,
      headers,
      ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
      ...(options.dispatcher !== undefined ? { dispatcher: options.dispatcher } : {}),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const text = await response.body.text();
    const retryAfter = response.headers['retry-after'];
    lastRetryAfter = typeof retryAfter === 'string' ? retryAfter : undefined;
    return { status: response.statusCode, text };
  }
  let lastRetryAfter: string | undefined;

  /** One attempt with the cached token; a 401 refreshes the token once and repeats (BC did not run it). */
  async function attemptAuthenticated(req: BcRequest): Promise<BcResponse & { retryAfter: string | undefined }> {
    const token = await tokens.getToken();
    let response = await fetchOnce(req, token);
    let retryAfter = lastRetryAfter;
    if (response.status === 401) {
      const fresh = await tokens.getToken({ rejectedToken: token });
      response = await fetchOnce(req, fresh);
      retryAfter = lastRetryAfter;
    }
    return { ...response, retryAfter };
  }

  async function send(req: BcRequest): Promise<BcResponse> {
    let waitedMs = 0;
    for (let attempt = 0; ; attempt += 1) {
      let failure: ConnectorError;
      let status: number | undefined;
      let retryAfterMs: number | undefined;
      const release = await limiter.acquire();
      try {
        const response = await attemptAuthenticated(req);
        if (response.status >= 200 && response.status < 300) return response;
        status = response.status;
        retryAfterMs = parseRetryAfterMs(response.retryAfter, clock.now());
        failure = classifyBcResponse({ operation: req.operation, status, body: response.text, retryAfterMs });
      } catch (error) {
        failure = isConnectorError(error) ? error : classifyBcNetworkError(req.operation, error);
        // Token failures are the credential's business: they are not retried here.
        if (isConnectorError(error)) throw error;
      } finally {
        release();
      }

      const mayRetry = req.retry === 'idempotent' ? failure.retryable : status === 429;
      if (!mayRetry || attempt >= maxRetries) throw failure;
      const delayMs = retryDelayMs(attempt, retryAfterMs, backoff, () => clock.random());
      if (waitedMs + delayMs > maxRetryWaitMs) throw failure;
      waitedMs += delayMs;
      if (status === 429 || status === 503 || status === 504) {
        // One throttle slows every caller of the process, not just this one (rate-limiter.ts).
        limiter.pauseUntil(clock.now() + delayMs);
        options.onThrottle?.({ operation: req.operation, status, retryAfterMs, delayMs, attempt: attempt + 1 });
      }
      await clock.sleep(delayMs);
    }
  }

  function parseJson(text: string, operation: string): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ValidationError(`BC ${operation}: the response is not JSON`, { system: 'bc' });
    }
  }

  function parseEntity<S extends z.ZodType>(schema: S, value: unknown, entity: string, operation: string): z.output<S> {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const key: unknown =
      typeof value === 'object' && value !== null
        ? (('id' in value ? value.id : undefined) ?? ('subscriptionId' in value ? value.subscriptionId : undefined))
        : undefined;
    // Only a string key is named: a malformed one (an object, a list) would print as '[object Object]'.
    const id = typeof key === 'string' && key !== '' ? key.slice(0, 40) : '?';
    const issue = result.error.issues[0];
    const field = issue === undefined || issue.path.length === 0 ? '(root)' : issue.path.join('.');
    throw new ValidationError(
      `BC ${operation}: ${entity} ${id} does not have the expected shape: field '${field}' ${issue?.message ?? 'is invalid'}`,
      { system: 'bc' },
    );
  }

  async function getOne<S extends z.ZodType>(
    schema: S,
    entity: string,
    url: string,
    operation: string,
  ): Promise<z.output<S> | undefined> {
    try {
      const response = await send({ method: 'GET', url, operation, retry: 'idempotent' });
      return parseEntity(schema, parseJson(response.text, operation), entity, operation);
    } catch (error) {
      if (isConnectorError(error) && error.kind === 'not-found') return undefined;
      throw error;
    }
  }

  /** Follows `@odata.nextLink` page by page (reference §1.2: server-driven paging). */
  async function* listAll<S extends z.ZodType>(
    schema: S,
    entity: string,
    firstUrl: string,
    operation: string,
  ): AsyncGenerator<z.output<S>> {
    let next: string | undefined = firstUrl;
    while (next !== undefined) {
      const response = await send({
        method: 'GET',
        url: next,
        operation,
        retry: 'idempotent',
        prefer: `odata.maxpagesize=${pageSize}`,
      });
      const page = parseEntity(BcPage, parseJson(response.text, operation), `${entity} page`, operation);
      for (const item of page.value) yield parseEntity(schema, item, entity, operation);
      next = page['@odata.nextLink'];
      // The bearer token goes only to the configured API host, whatever a next link says.
      if (next !== undefined && new URL(next, apiOrigin).origin !== apiOrigin) {
        throw new ValidationError(`BC ${operation}: next link points to another host`, { system: 'bc' });
      }
      if (next !== undefined) next = new URL(next, apiOrigin).toString();
    }
  }

  async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const item of items) out.push(item);
    return out;
  }

  function entityUrl(entitySet: string, id: string, operation: string): string {
    if (!isGuid(id))
      throw new ValidationError(`BC ${operation}: '${id.slice(0, 40)}' is not a BC id (GUID)`, { system: 'bc' });
    return `${companyRoot}/${entitySet}(${id.toLowerCase()})`;
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
      const response = await send({
        method: 'POST',
        url: `${companyRoot}/vendors`,
        operation,
        retry: 'unprocessed-only',
        body: input,
      });
      return parseEntity(BcVendor, parseJson(response.text, operation), 'vendor', operation);
    },

    async updateVendor(id, etag, patch) {
      const operation = `updateVendor ${id}`;
      // reference §1.3: PATCH needs If-Match; a stale ETag is 409 Request_EntityChanged → ConflictError.
      const response = await send({
        method: 'PATCH',
        url: entityUrl('vendors', id, operation),
        operation,
        retry: 'idempotent',
        ifMatch: etag,
        body: patch,
      });
      return parseEntity(BcVendor, parseJson(response.text, operation), 'vendor', operation);
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

    async findPurchaseInvoices(filter) {
      // DESIGN §3.1: the look-up before any re-create; quotes in the vendor invoice number are doubled.
      // BC's duplicate check at posting is by pay-to vendor, so an invoice of this vendor as buy-from OR as
      // pay-to counts. OData 'or' across two fields is refused by BC, so the filter is on the number alone
      // and the vendor is matched here (one request either way).
      const query = buildQuery({ $filter: odata`vendorInvoiceNumber eq ${filter.vendorInvoiceNumber}` });
      const operation = `findPurchaseInvoices ${filter.vendorNumber}/${filter.vendorInvoiceNumber}`;
      const wanted = filter.vendorNumber.toUpperCase();
      const found = await collect(
        listAll(BcPurchaseInvoice, 'purchase invoice', `${companyRoot}/purchaseInvoices${query}`, operation),
      );
      return found.filter(
        (i) => i.vendorNumber?.toUpperCase() === wanted || i.payToVendorNumber?.toUpperCase() === wanted,
      );
    },

    getPurchaseInvoice(id) {
      const operation = `getPurchaseInvoice ${id}`;
      const query = buildQuery({ $expand: 'purchaseInvoiceLines($expand=dimensionSetLines)' });
      return getOne(
        BcPurchaseInvoiceWithLines,
        'purchase invoice',
        `${entityUrl('purchaseInvoices', id, operation)}${query}`,
        operation,
      );
    },

    async createPurchaseInvoice(body: BcPurchaseInvoiceCreate) {
      const operation = `createPurchaseInvoice ${body.vendorNumber}/${body.vendorInvoiceNumber}`;
      // reference §1.5: deep insert of header + lines + line dimensions, atomic. NEVER retried on 5xx or a
      // lost answer (DESIGN §3.1): the invoice may exist; the caller looks it up by vendor invoice number.
      const response = await send({
        method: 'POST',
        url: `${companyRoot}/purchaseInvoices`,
        operation,
        retry: 'unprocessed-only',
        body,
      });
      return parseEntity(BcPurchaseInvoice, parseJson(response.text, operation), 'purchase invoice', operation);
    },

    async postPurchaseInvoice(id) {
      const operation = `postPurchaseInvoice ${id}`;
      // reference §3.3: bound action, 204 with an empty body. Not retried: it may have posted.
      await send({
        method: 'POST',
        url: `${entityUrl('purchaseInvoices', id, operation)}/Microsoft.NAV.post`,
        operation,
        retry: 'unprocessed-only',
      });
    },

    async postPurchaseInvoiceAndRead(id) {
      const operation = `postPurchaseInvoice ${id}`;
      const invoiceUrl = entityUrl('purchaseInvoices', id, operation);
      // Inner URLs of a JSON batch are relative to the API root (reference §1.4).
      const relative = invoiceUrl.slice(apiRoot.length + 1);
      // reference §1.4 + §3.3: one JSON $batch carrying the post action, then a GET of the invoice, run in
      // order. The batch is resent only when BC proves the post was not processed: a 429 of the batch itself,
      // or a 429 answered to the post operation inside it (throttling rejects before any AL code runs). Any
      // other failure may have posted, so the caller reads the invoice before trying again (DESIGN §3.1).
      let batch: BcBatchResponse;
      let post: BcBatchResponse['responses'][number] | undefined;
      let waitedMs = 0;
      for (let attempt = 0; ; attempt += 1) {
        const response = await send({
          method: 'POST',
          url: `${apiRoot}/$batch`,
          operation,
          dependencyName: 'postPurchaseInvoiceAndRead',
          retry: 'unprocessed-only',
          body: {
            requests: [
              {
                method: 'POST',
                id: 'post',
                url: `${relative}/Microsoft.NAV.post`,
                headers: { 'Content-Type': 'application/json' },
              },
              { method: 'GET', id: 'read', url: relative, headers: {} },
            ],
          },
        });
        batch = parseEntity(BcBatchResponse, parseJson(response.text, operation), 'batch response', operation);
        post = batch.responses.find((r) => r.id === 'post');
        if (post === undefined)
          throw new ValidationError(`BC ${operation}: the batch response has no answer for the post`, { system: 'bc' });
        if (post.status >= 200 && post.status < 300) break;
        const retryAfterMs = parseRetryAfterMs(
          Object.entries(post.headers).find(([name]) => name.toLowerCase() === 'retry-after')?.[1],
          clock.now(),
        );
        const delayMs = retryDelayMs(attempt, retryAfterMs, backoff, () => clock.random());
        if (post.status !== 429 || attempt >= maxRetries || waitedMs + delayMs > maxRetryWaitMs) {
          throw classifyBcResponse({
            operation,
            status: post.status,
            body: post.body === undefined ? '' : JSON.stringify(post.body),
            retryAfterMs,
          });
        }
        // The pause holds this resend, and every other BC call of the process, until the wait is over.
        limiter.pauseUntil(clock.now() + delayMs);
        waitedMs += delayMs;
      }
      const read = batch.responses.find((r) => r.id === 'read');
      if (read !== undefined && read.status >= 200 && read.status < 300) {
        return parseEntity(BcPurchaseInvoice, read.body, 'purchase invoice', operation);
      }
      // Posted, but the read inside the batch failed: one plain (retried) GET instead.
      const posted = await getOne(BcPurchaseInvoice, 'purchase invoice', invoiceUrl, `getPurchaseInvoice ${id}`);
      if (posted === undefined)
        throw new NotFoundError(`BC ${operation}: the invoice was posted but cannot be read back`, { system: 'bc' });
      return posted;
    },

    // reference §6.1: subscriptions are not company-scoped.
    listSubscriptions: () =>
      collect(listAll(BcSubscription, 'subscription', `${apiRoot}/subscriptions`, 'listSubscriptions')),

    async createSubscription(input) {
      const operation = `createSubscription ${input.resource}`;
      // Not retried except on 429: a duplicate subscription would double every notification.
      const response = await send({
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
      return parseEntity(BcSubscription, parseJson(response.text, operation), 'subscription', operation);
    },

    async renewSubscription(subscriptionId, etag) {
      const operation = `renewSubscription ${subscriptionId}`;
      // reference §6.2: a PATCH renews for another 3 days (BC handshakes again).
      const response = await send({
        method: 'PATCH',
        url: `${apiRoot}/subscriptions(${quotedKey(subscriptionId)})`,
        operation,
        retry: 'idempotent',
        ifMatch: etag,
        body: {},
      });
      return parseEntity(BcSubscription, parseJson(response.text, operation), 'subscription', operation);
    },

    async deleteSubscription(subscriptionId, etag) {
      const operation = `deleteSubscription ${subscriptionId}`;
      try {
        await send({
          method: 'DELETE',
          url: `${apiRoot}/subscriptions(${quotedKey(subscriptionId)})`,
          operation,
          retry: 'idempotent',
          ifMatch: etag,
        });
      } catch (error) {
        // `delete…` succeeds when the thing is already gone (STYLE: naming).
        if (isConnectorError(error) && error.kind === 'not-found') return;
        throw error;
      }
    },
  };
}
