/**
 * A Business Central API v2.0 look-alike over HTTP (reference/bc-api.md), for tests and the demo.
 *
 * Routing `{base}/{tenant}/{environment}/api/v2.0/...`, bearer tokens checked with `validateToken`,
 * OData `$filter`/`$select`/`$expand`/`$top`/`$skip` and server-driven paging, ETags, BC's error format,
 * per-user limits (requests per 5-minute window, concurrency with a queue), webhook subscriptions, and the
 * shared fault kinds of `faults.ts` on every endpoint.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultControl, seededRandom } from '../faults.js';
import { readBody, startHttpServer } from '../http-server.js';
import {
  BcSimError,
  BcState,
  CODE_FIELDS,
  ENTITY_TYPE_NAMES,
  PAGE_VARIABLE_FIELDS,
  encodeEnumMember,
  encodeEnums,
  kindOfSet,
  notFound,
  type AddAccountInput,
  type CompanyState,
  type EntityTable,
  type TableFields,
  type TaxModel,
  type VendorTemplate,
  type VendorBlocked,
} from './bc-state.js';

export type { AddAccountInput } from './bc-state.js';
import {
  ODataQueryError,
  checkFilterSupported,
  filterFields,
  matchesFilter,
  parseExpand,
  parseFilter,
  str,
  type ExpandItem,
  type Row,
} from './odata-query.js';
import { SubscriptionManager, type ChangeType, type Delivery } from './subscriptions.js';
import { runJsonBatch, type BatchOperationRecord } from './batch.js';

export interface BcSimulatorLimits {
  /** reference §7.1: 6,000 per 5-minute sliding window per user. */
  requestsPer5Min?: number;
  /** Length of the sliding window (default 5 minutes; scale down in tests). */
  windowMs?: number;
  /** reference §7.1: 5 concurrent requests per user; the rest queue. */
  maxConcurrent?: number;
  /** How long a request may wait in the queue before 503 (BC: 8 minutes). */
  queueTimeoutMs?: number;
  /** reference §7.1: at most 95 queued requests, else 429. */
  maxQueue?: number;
}

export interface BcSimulatorOptions {
  tenantId: string;
  environment: string;
  validateToken: (token: string) => boolean;
  faults?: FaultControl;
  /** Seeds the Retry-After coin flip on 429s (default 1). */
  seed?: number;
  /** `false` turns the limits off. */
  limits?: BcSimulatorLimits | false;
  /** Id of the company created at start (random when absent). */
  companyId?: string;
  companyName?: string;
  /** The simulator's clock (subscription expiry, lastModifiedDateTime). Default `Date.now`. */
  now?: () => number;
  /** Delay before change notifications are sent (BC: 30 s). Default 0. */
  notificationDelayMs?: number;
  /** More changes than this in one window → one `collection` notification (BC: 1,000). */
  collectionThreshold?: number;
  /** Waits between notification delivery attempts (default 50, 50, 50, 100, 200 ms; BC: minutes). */
  notificationRetryDelaysMs?: readonly number[];
  /** Handshake time limit (default 5 s). */
  handshakeTimeoutMs?: number;
  /** Maps a token to the "user" the limits count against (default: the token's `appid`, else the token). */
  userOf?: (token: string) => string;
}

export interface AddVendorInput {
  number?: string;
  displayName: string;
  taxRegistrationNumber?: string;
  currencyCode?: string;
  /** Code of a payment term added with `addPaymentTerm`. */
  paymentTermsCode?: string;
  blocked?: VendorBlocked;
  email?: string;
  phoneNumber?: string;
  addressLine1?: string;
  city?: string;
  country?: string;
  postalCode?: string;
}

export interface AddItemInput {
  number?: string;
  displayName: string;
  type?: 'Inventory' | 'Service' | 'Non-Inventory';
  unitCost?: number;
  unitPrice?: number;
  taxGroupCode?: string;
  baseUnitOfMeasureCode?: string;
  blocked?: boolean;
  gtin?: string;
  itemCategoryCode?: string;
}

/** Seeding (and behind-the-API changes) for one company. Every method returns the row as BC stores it. */
export interface BcCompanySeed {
  readonly id: string;
  /** The company's tables (vendors, items, purchaseInvoices, …) as the simulator stores them. */
  readonly data: CompanyState;
  addVendor(input: AddVendorInput): Row;
  /** Changes a vendor as a BC user would: new ETag, lastModifiedDateTime, notification. */
  updateVendor(id: string, patch: Partial<AddVendorInput>): Row;
  addItem(input: AddItemInput): Row;
  updateItem(id: string, patch: Partial<AddItemInput>): Row;
  addAccount(input: AddAccountInput): Row;
  /** Adds a dimension with values, or more values to an existing dimension code (codes are unique in BC). */
  addDimension(
    code: string,
    values: ReadonlyArray<string | { code: string; displayName?: string }>,
    displayName?: string,
  ): Row;
  /** A tax group with its rate (the simulator's stand-in for BC's tax setup). */
  addTaxGroup(code: string, ratePercent: number, displayName?: string): Row;
  addCurrency(code: string, displayName?: string): Row;
  /** `dueDateCalculation` like `30D` or `1M`. */
  addPaymentTerm(code: string, options?: { displayName?: string; dueDateCalculation?: string }): Row;
  addUnitOfMeasure(code: string, displayName?: string): Row;
  setLocalCurrency(code: string): void;
  /** Purchases & Payables Setup "Ext. Doc. No. Mandatory" (default on). */
  setExtDocNoMandatory(on: boolean): void;
  /**
   * Base-table fields the API does not expose, on a vendor, item or account by id: posting groups, pay-to
   * vendor, tax area, VAT product group, purchase unit, Purchasing Blocked, item units, default dimensions.
   */
  setTableFields(id: string, fields: Partial<TableFields>): void;
  /** The vendor template API-created vendors get (`undefined`: no template rule, vendors get no posting groups). */
  setVendorTemplate(template: VendorTemplate | undefined): void;
  /** `flat` (default), `W1` (VAT Posting Setup) or `NA` (sales tax by tax area). */
  setTaxModel(model: TaxModel): void;
  /** W1: a VAT Posting Setup row (VAT bus. × VAT prod. posting group → VAT %); the prod. group is also a tax code. */
  addVatPostingSetup(vatBusPostingGroup: string, vatProdPostingGroup: string, vatPercent: number): void;
  /** NA: a tax area with its rate per tax group. */
  addTaxArea(code: string, ratesByTaxGroup: Record<string, number>): void;
  /** A Country/Region row, optionally with its VAT Registration No. Formats. */
  addCountry(code: string, displayName: string, vatFormats?: readonly string[]): Row;
  setAllowedPostingDates(range: { from?: string; to?: string }): void;
  setPurchaseApprovalWorkflow(on: boolean): void;
  /** Removes (or restores) every exchange rate of a currency. */
  setExchangeRateMissing(currencyCode: string, missing: boolean): void;
  /** What the deep-insert answer carries (see CompanyState.deepInsertAnswer). */
  setDeepInsertAnswer(answer: 'with-lines' | 'header-only'): void;
  /** A payment of a posted invoice made in BC (all that is open when no amount is given). */
  payInvoice(invoiceId: string, amount?: number): void;
  /** Remaining Amount of a posted invoice's or credit memo's vendor ledger entry (undefined while a draft). */
  remainingAmount(documentId: string): number | undefined;
}

export interface BcSimulator extends BcCompanySeed {
  /** The `BC_API_BASE_URL` equivalent: `http://127.0.0.1:<port>/v2.0`. */
  baseUrl: string;
  /** `{baseUrl}/{tenant}/{environment}/api/v2.0`. */
  apiRoot: string;
  /** The default company's id (`BC_COMPANY_ID`). */
  companyId: string;
  state: BcState;
  subscriptions: SubscriptionManager;
  /** Notification POSTs made so far (with their status). */
  deliveries: Delivery[];
  /** Every operation run inside a `$batch` (the batch request itself is counted in `faults.requests`). */
  batchOperations: BatchOperationRecord[];
  faults: FaultControl;
  addCompany(input?: { id?: string; name?: string; localCurrency?: string }): BcCompanySeed;
  company(id: string): BcCompanySeed;
  /** Sends a notification now to every subscription on `resource` (`vendors` or a resource path). */
  notify(resource: string, changeType: ChangeType, id: string): void;
  /** Sends pending notifications now and waits for deliveries (and their retries) to finish. */
  flushNotifications(): Promise<void>;
  close(): Promise<void>;
}

interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** The connection is destroyed instead of answering (a fault inside a `$batch`). */
  destroySocket?: boolean;
}

/** What routing reads from a request: an HTTP request, or one operation of a `$batch`. */
type RouteRequest = Pick<IncomingMessage, 'method' | 'headers'>;

/** APIV2Accounts.Page.al:13 (Editable = false); dimensions, values and countries are read here only. */
const READ_ONLY_SETS = new Set(['accounts', 'dimensions', 'dimensionValues', 'countriesRegions', 'companyInformation']);
/** paymentTerms, currencies, taxGroups, unitsOfMeasure are editable pages (see REFERENCE_FIELDS). */
const WRITABLE_REFERENCE_SETS = new Set(['paymentTerms', 'currencies', 'taxGroups', 'unitsOfMeasure']);
/** reference §1.2 / D-OL: BC's largest page. */
const MAX_PAGE_SIZE = 20_000;
const ETAG_PATTERN = /^W\/"[^"]*"$/;

/** Starts the simulator on 127.0.0.1 with one company. */
export async function startBcSimulator(options: BcSimulatorOptions): Promise<BcSimulator> {
  const faults = options.faults ?? new FaultControl(options.seed ?? 1);
  const now = options.now ?? (() => Date.now());
  const limits = options.limits === false ? undefined : (options.limits ?? {});
  const windowMs = limits?.windowMs ?? 5 * 60_000;
  const requestsPerWindow = limits?.requestsPer5Min ?? 6000;
  const maxConcurrent = limits?.maxConcurrent ?? 5;
  const queueTimeoutMs = limits?.queueTimeoutMs ?? 8 * 60_000;
  const maxQueue = limits?.maxQueue ?? 95;
  const coin = seededRandom(options.seed ?? 1);

  const listeners: { subscriptions?: SubscriptionManager } = {};
  const state = new BcState({
    now,
    onChange: (companyId, entitySet, id, changeType) =>
      listeners.subscriptions?.onChange(companyId, entitySet, id, changeType),
  });
  const subscriptions = new SubscriptionManager({
    now,
    delayMs: options.notificationDelayMs ?? 0,
    collectionThreshold: options.collectionThreshold ?? 1000,
    retryDelaysMs: options.notificationRetryDelaysMs ?? [50, 50, 50, 100, 200],
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? 5000,
    companyExists: (id) => state.companies.has(id),
  });
  listeners.subscriptions = subscriptions;
  const subs = subscriptions;
  const defaultCompany = state.addCompany({
    ...(options.companyId !== undefined ? { id: options.companyId } : {}),
    name: options.companyName ?? 'CRONUS USA, Inc.',
  });

  const batchOperations: BatchOperationRecord[] = [];

  // Per-user accounting for the limits.
  const starts = new Map<string, number[]>();
  const active = new Map<string, number>();
  const queues = new Map<string, Array<() => void>>();

  function userOf(token: string): string {
    if (options.userOf) return options.userOf(token);
    try {
      const payload: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
      if (typeof payload === 'object' && payload !== null && 'appid' in payload && typeof payload.appid === 'string') {
        return payload.appid;
      }
    } catch {
      // Opaque token: the token itself is the user.
    }
    return token;
  }

  /** Takes a concurrency slot (waiting in the queue) or answers 429/503 like BC. */
  async function admit(user: string): Promise<() => void> {
    const windowStarts = (starts.get(user) ?? []).filter((t) => t > now() - windowMs);
    starts.set(user, windowStarts);
    if (windowStarts.length >= requestsPerWindow) {
      const retryAfter = Math.max(1, Math.ceil(((windowStarts[0] ?? now()) + windowMs - now()) / 1000));
      // Whether BC's 429 carries Retry-After is n/c (reference §7.2): sometimes yes, sometimes no.
      throw new BcSimError(
        429,
        'Application_TooManyRequests',
        'Too many requests reached. Actual (6001). Maximum (6000).',
        coin() < 0.5 ? { 'Retry-After': str(retryAfter) } : {},
      );
    }
    windowStarts.push(now());
    const release = (): void => {
      active.set(user, (active.get(user) ?? 1) - 1);
      const next = queues.get(user)?.shift();
      next?.();
    };
    if ((active.get(user) ?? 0) < maxConcurrent) {
      active.set(user, (active.get(user) ?? 0) + 1);
      return release;
    }
    const queue = queues.get(user) ?? [];
    queues.set(user, queue);
    if (queue.length >= maxQueue) {
      throw new BcSimError(429, 'Application_TooManyRequests', 'The request queue is full.');
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        clearTimeout(timer);
        active.set(user, (active.get(user) ?? 0) + 1);
        resolve(release);
      };
      const timer = setTimeout(() => {
        const index = queue.indexOf(grant);
        if (index >= 0) queue.splice(index, 1);
        reject(
          new BcSimError(503, 'Internal_ServiceUnavailable', 'The request timed out in the queue.', {
            'Retry-After': '1',
          }),
        );
      }, queueTimeoutMs);
      queue.push(grant);
    });
  }

  // ---------------------------------------------------------------------------------- serialisation

  function tableOf(company: CompanyState, entitySet: string): EntityTable | undefined {
    switch (entitySet) {
      case 'vendors':
        return company.vendors;
      case 'items':
        return company.items;
      case 'accounts':
        return company.accounts;
      case 'dimensions':
        return company.dimensions;
      case 'dimensionValues':
        return company.dimensionValues;
      case 'paymentTerms':
        return company.paymentTerms;
      case 'currencies':
        return company.currencies;
      case 'taxGroups':
        return company.taxGroups;
      case 'unitsOfMeasure':
        return company.unitsOfMeasure;
      case 'countriesRegions':
        return company.countriesRegions;
      case 'purchaseInvoices':
        return company.purchaseInvoices;
      case 'purchaseInvoiceLines':
        return company.purchaseInvoiceLines;
      case 'purchaseCreditMemos':
        return company.purchaseCreditMemos;
      case 'purchaseCreditMemoLines':
        return company.purchaseCreditMemoLines;
      default:
        return undefined;
    }
  }

  function toJson(company: CompanyState, entitySet: string, row: Row, expand: ExpandItem[]): Row {
    const table = tableOf(company, entitySet);
    const id = str(row.id);
    let out: Row = table ? { '@odata.etag': table.etag(id), ...row } : { ...row };
    if (entitySet === 'vendors') out = { ...out, ...pickCurrency(state.vendorJson(company, row)) };
    if (entitySet === 'purchaseInvoices') out = { ...out, ...pickCurrency(state.invoiceJson(company, row)) };
    if (entitySet === 'purchaseCreditMemos') {
      const memo = state.creditMemoJson(company, row);
      out = { ...out, ...pickCurrency(memo), invoiceId: memo.invoiceId ?? null };
    }
    const kind = kindOfSet(entitySet);
    for (const item of expand) {
      if (kind !== undefined && entitySet === kind.entitySet && item.name === kind.linesSet) {
        out[kind.linesSet] = state
          .linesOf(company, id, kind)
          .map((line) => toJson(company, kind.linesSet, line, item.expand));
      } else if (kind !== undefined && item.name === 'dimensionSetLines') {
        out.dimensionSetLines = (company.dimensionSetLines.get(id) ?? []).map((d) => ({
          '@odata.etag': dimensionEtag(d),
          ...encodeEnums('dimensionSetLines', d),
        }));
      } else if (entitySet === 'dimensions' && item.name === 'dimensionValues') {
        out.dimensionValues = company.dimensionValues
          .all()
          .filter((v) => v.dimensionId === id)
          .map((v) => toJson(company, 'dimensionValues', v, []));
      } else {
        throw new ODataQueryError(
          'BadRequest_NotFound',
          `Could not find a property named '${item.name}' on type 'Microsoft.NAV.${ENTITY_TYPE_NAMES[entitySet] ?? entitySet}'.`,
        );
      }
    }
    return encodeEnums(entitySet, out);
  }

  function applySelect(row: Row, select: string | null, entitySet: string): Row {
    if (select === null) return row;
    const fields = select
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const out: Row = {};
    if (row['@odata.etag'] !== undefined) out['@odata.etag'] = row['@odata.etag'];
    for (const field of fields) {
      if (!(field in row)) {
        throw new ODataQueryError(
          'BadRequest_NotFound',
          `Could not find a property named '${field}' on type 'Microsoft.NAV.${ENTITY_TYPE_NAMES[entitySet] ?? entitySet}'.`,
        );
      }
      out[field] = row[field] ?? null;
    }
    for (const nav of ['purchaseInvoiceLines', 'purchaseCreditMemoLines', 'dimensionSetLines', 'dimensionValues']) {
      if (row[nav] !== undefined) out[nav] = row[nav] ?? null;
    }
    return out;
  }

  /** A collection answer: filter, order, $skip/$top, then server-driven pages with `@odata.nextLink`. */
  function listResponse(
    req: RouteRequest,
    url: URL,
    entitySet: string,
    rows: Row[],
    context: string,
    serialise: (row: Row, expand: ExpandItem[]) => Row,
  ): SimResponse {
    const params = url.searchParams;
    const expand = params.has('$expand') ? parseExpand(params.get('$expand') ?? '') : [];
    let candidates = rows.map((row) => serialise(row, []));
    const filterText = params.get('$filter');
    if (filterText !== null && filterText.trim() !== '') {
      const tree = parseFilter(filterText);
      checkFilterSupported(tree);
      const variable = filterFields(tree).find((field) => PAGE_VARIABLE_FIELDS[entitySet]?.has(field));
      if (variable !== undefined) {
        // The field is a page variable (see PAGE_VARIABLE_FIELDS): there is no column to filter. BC's exact
        // wording is not in the page source; the code and the field name are what a caller can rely on.
        throw new ODataQueryError(
          'BadRequest_InvalidFilter',
          `The filter on '${variable}' cannot be applied: the field is not a table field of '${ENTITY_TYPE_NAMES[entitySet] ?? entitySet}'.`,
        );
      }
      const known = new Set<string>(candidates[0] ? Object.keys(candidates[0]) : []);
      const context2 = {
        codeFields: CODE_FIELDS[entitySet] ?? new Set<string>(),
        knownFields: known,
        typeName: ENTITY_TYPE_NAMES[entitySet] ?? entitySet,
      };
      candidates = candidates.filter((row) => known.size === 0 || matchesFilter(tree, row, context2));
    }
    const skip = Number(params.get('$skip') ?? '0');
    const top = params.has('$top') ? Number(params.get('$top')) : undefined;
    if (!Number.isInteger(skip) || skip < 0 || (top !== undefined && (!Number.isInteger(top) || top < 0))) {
      throw new ODataQueryError('BadRequest', 'Invalid $top or $skip value.');
    }
    candidates = candidates.slice(skip, top === undefined ? undefined : skip + top);
    const prefer = /odata\.maxpagesize=(\d+)/.exec(str(req.headers.prefer ?? ''));
    const pageSize = prefer ? Number(prefer[1]) : MAX_PAGE_SIZE;
    if (pageSize > MAX_PAGE_SIZE)
      throw new BcSimError(413, 'BadRequest', 'The page size exceeds the maximum of 20000.');
    const offset = Number(params.get('$skiptoken') ?? '0');
    const page = candidates.slice(offset, offset + pageSize);
    const byId = new Map(rows.map((r) => [str(r.id ?? r.subscriptionId), r]));
    const value = page.map((row) => {
      const original = byId.get(str(row.id ?? row.subscriptionId));
      const expanded = expand.length > 0 && original ? serialise(original, expand) : row;
      return applySelect(expanded, params.get('$select'), entitySet);
    });
    const body: Row = { '@odata.context': `${apiRootUrl}/$metadata#${context}`, value };
    const headers: Record<string, string> = {};
    if (prefer) headers['Preference-Applied'] = `odata.maxpagesize=${pageSize}`;
    if (offset + pageSize < candidates.length) {
      const next = new URL(url.toString());
      next.searchParams.set('$skiptoken', str(offset + pageSize));
      body['@odata.nextLink'] = next.toString();
    }
    return { status: 200, headers, body };
  }

  function entityResponse(
    url: URL,
    entitySet: string,
    row: Row,
    context: string,
    serialise: (row: Row, expand: ExpandItem[]) => Row,
    status = 200,
  ): SimResponse {
    const expand = url.searchParams.has('$expand') ? parseExpand(url.searchParams.get('$expand') ?? '') : [];
    const json = applySelect(serialise(row, expand), url.searchParams.get('$select'), entitySet);
    const etag = json['@odata.etag'];
    return {
      status,
      headers: typeof etag === 'string' ? { ETag: etag } : {},
      body: { '@odata.context': `${apiRootUrl}/$metadata#${context}/$entity`, ...json },
    };
  }

  function checkIfMatch(req: RouteRequest, current: string): void {
    const ifMatch = req.headers['if-match'];
    if (typeof ifMatch !== 'string' || ifMatch === '' || (ifMatch !== '*' && !ETAG_PATTERN.test(ifMatch))) {
      throw new BcSimError(
        400,
        'BadRequest_InvalidToken',
        'Could not validate the client concurrency token required by the service. Please provide a valid token in the client request.',
      );
    }
    if (ifMatch !== '*' && ifMatch !== current) {
      throw new BcSimError(409, 'Request_EntityChanged', 'Another user has already changed the record.');
    }
  }

  // ---------------------------------------------------------------------------------- routing

  let apiRootUrl = '';

  async function route(req: RouteRequest, url: URL, bodyText: string): Promise<SimResponse> {
    const method = req.method ?? 'GET';
    const segments = url.pathname
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
    const noRoute = (): BcSimError =>
      new BcSimError(
        404,
        'BadRequest_NotFound',
        `No HTTP resource was found that matches the request URI '${url.toString()}'.`,
      );
    // /v2.0/{tenant}/{environment}/api/v2.0/...
    if (segments[0] !== 'v2.0' || segments[3] !== 'api' || segments[4] !== 'v2.0') throw noRoute();
    if (segments[1]?.toLowerCase() !== options.tenantId.toLowerCase()) {
      throw new BcSimError(401, 'Authentication_InvalidCredentials', 'The credentials provided are incorrect');
    }
    if (segments[2] !== options.environment) {
      throw new BcSimError(404, 'BadRequest_NotFound', `Environment '${segments[2] ?? ''}' was not found.`);
    }
    const parts = segments.slice(5).map(parseSegment);
    const first = parts[0];
    if (first === undefined) throw noRoute();
    const body = (): Record<string, unknown> => parseBody(bodyText);

    if (first.name === '$batch' && first.key === undefined && parts.length === 1) {
      // reference §1.4: JSON batch; each operation runs through this router with its own status.
      if (method !== 'POST') throw methodNotAllowed(method, '$batch');
      const outcome = await runJsonBatch(bodyText, {
        apiRoot: apiRootUrl,
        faults,
        execute: (operation) =>
          route({ method: operation.method, headers: operation.headers }, operation.url, operation.bodyText),
        errorResponse,
        record: (entry) => batchOperations.push(entry),
      });
      return { status: 200, body: outcome.body, destroySocket: outcome.destroySocket };
    }

    if (first.name === 'subscriptions') {
      const serialise = (row: Row): Row => ({ '@odata.etag': subs.etag(str(row.subscriptionId)), ...row });
      if (first.key === undefined) {
        if (parts.length !== 1) throw noRoute();
        if (method === 'GET') return listResponse(req, url, 'subscriptions', subs.list(), 'subscriptions', serialise);
        if (method === 'POST') {
          const row = await subs.create(body());
          return entityResponse(url, 'subscriptions', row, 'subscriptions', serialise, 201);
        }
        throw methodNotAllowed(method, 'subscriptions');
      }
      const key = unquote(first.key);
      const sub = subs.get(key);
      if (sub === undefined) throw notFound('API Webhook Subscription', key);
      if (method === 'GET') return entityResponse(url, 'subscriptions', sub.row, 'subscriptions', serialise);
      if (method === 'PATCH') {
        checkIfMatch(req, subs.etag(key));
        return entityResponse(url, 'subscriptions', await subs.renew(key, body()), 'subscriptions', serialise);
      }
      if (method === 'DELETE') {
        checkIfMatch(req, subs.etag(key));
        subs.delete(key);
        return { status: 204 };
      }
      throw methodNotAllowed(method, 'subscriptions');
    }

    if (first.name !== 'companies') throw noRoute();
    if (first.key === undefined) {
      if (parts.length !== 1 || method !== 'GET') throw noRoute();
      return listResponse(
        req,
        url,
        'companies',
        [...state.companies.values()].map((c) => c.company),
        'companies',
        (r) => r,
      );
    }
    const company = state.company(first.key);
    const second = parts[1];
    if (second === undefined) {
      if (method !== 'GET') throw methodNotAllowed(method, 'companies');
      return entityResponse(url, 'companies', company.company, 'companies', (r) => r);
    }
    const entitySet = second.name;
    const context = `companies(${company.id})/${entitySet}`;
    const serialise = (row: Row, expand: ExpandItem[]): Row => toJson(company, entitySet, row, expand);
    const entity = (row: Row, status?: number): SimResponse =>
      entityResponse(url, entitySet, row, context, serialise, status);

    if (entitySet === 'companyInformation') {
      if (method !== 'GET') throw methodNotAllowed(method, entitySet);
      return listResponse(req, url, entitySet, [company.companyInformation], context, (r) => r);
    }
    if (entitySet === 'defaultDimensions' && parts.length === 2 && second.key === undefined) {
      if (method !== 'GET') throw methodNotAllowed(method, entitySet);
      return listResponse(req, url, entitySet, state.defaultDimensionList(company), context, (r) =>
        encodeEnums(entitySet, r),
      );
    }
    const table = tableOf(company, entitySet);
    if (table === undefined) throw noRoute();

    if (second.key === undefined) {
      if (parts.length !== 2) throw noRoute();
      if (method === 'GET') {
        if (entitySet === 'purchaseInvoiceLines' || entitySet === 'purchaseCreditMemoLines') {
          const filter = url.searchParams.get('$filter') ?? '';
          if (!/\b(documentId|id)\b/.test(filter)) {
            throw new BcSimError(
              400,
              'Application_DialogException',
              'You must specify an Id or a Document Id to get the lines.',
            );
          }
        }
        return listResponse(req, url, entitySet, table.all(), context, serialise);
      }
      if (method === 'POST') {
        if (entitySet === 'vendors') return entity(state.createVendor(company, body()), 201);
        if (entitySet === 'items') return entity(state.createItem(company, body()), 201);
        if (entitySet === 'purchaseInvoices') return entity(state.createPurchaseInvoice(company, body()), 201);
        if (entitySet === 'purchaseCreditMemos') return entity(state.createPurchaseCreditMemo(company, body()), 201);
        if (WRITABLE_REFERENCE_SETS.has(entitySet)) {
          return entity(state.createReference(company, entitySet, table, body()), 201);
        }
      }
      throw methodNotAllowed(method, entitySet);
    }

    const id = second.key.toLowerCase();
    const row = table.get(id);
    const third = parts[2];
    if (third === undefined) {
      if (row === undefined) throw notFound(ENTITY_TYPE_NAMES[entitySet] ?? entitySet, id);
      if (method === 'GET') return entity(row);
      if (method === 'PATCH' && !READ_ONLY_SETS.has(entitySet)) {
        checkIfMatch(req, table.etag(id));
        if (entitySet === 'vendors') return entity(state.updateVendor(company, id, body()));
        if (entitySet === 'items') return entity(state.updateItem(company, id, body()));
        if (entitySet === 'purchaseInvoices') return entity(state.updatePurchaseInvoice(company, id, body()));
        if (entitySet === 'purchaseCreditMemos') return entity(state.updatePurchaseCreditMemo(company, id, body()));
        if (entitySet === 'purchaseInvoiceLines') return entity(state.updatePurchaseInvoiceLine(company, id, body()));
        if (WRITABLE_REFERENCE_SETS.has(entitySet)) return entity(state.updateReference(entitySet, table, id, body()));
      }
      const deletable = kindOfSet(entitySet);
      if (method === 'DELETE' && deletable?.entitySet === entitySet) {
        checkIfMatch(req, table.etag(id));
        state.deletePurchaseInvoice(company, id, deletable);
        return { status: 204 };
      }
      throw methodNotAllowed(method, entitySet);
    }

    // Bound action and navigation below an entity.
    if (entitySet === 'purchaseInvoices' && third.name === 'Microsoft.NAV.post' && parts.length === 3) {
      if (method !== 'POST') throw methodNotAllowed(method, 'Microsoft.NAV.post');
      state.postPurchaseInvoice(company, id);
      return { status: 204 };
    }
    // APIV2PurchaseCreditMemos.Page.al:876-898: the bound actions post and cancel.
    if (entitySet === 'purchaseCreditMemos' && third.name.startsWith('Microsoft.NAV.') && parts.length === 3) {
      if (method !== 'POST') throw methodNotAllowed(method, third.name);
      if (third.name === 'Microsoft.NAV.post') state.postPurchaseCreditMemo(company, id);
      else if (third.name === 'Microsoft.NAV.cancel') state.cancelPurchaseCreditMemo(company, id);
      else throw noRoute();
      return { status: 204 };
    }
    if (row === undefined) throw notFound(ENTITY_TYPE_NAMES[entitySet] ?? entitySet, id);
    const lineWrite = routeLineWrite(req, url, company, entitySet, id, parts, body);
    if (lineWrite !== undefined) return lineWrite;
    if (method !== 'GET') throw methodNotAllowed(method, third.name);
    const docKind = kindOfSet(entitySet);
    if (docKind?.entitySet === entitySet && third.name === docKind.linesSet) {
      const lines = state.linesOf(company, id, docKind);
      const fourth = parts[3];
      const lineJson = (r: Row, e: ExpandItem[]): Row => toJson(company, docKind.linesSet, r, e);
      if (fourth === undefined && third.key === undefined) {
        return listResponse(req, url, docKind.linesSet, lines, `${context}(${id})/${docKind.linesSet}`, lineJson);
      }
      const line = lines.find((l) => l.id === third.key?.toLowerCase());
      if (line === undefined) throw notFound(docKind.lineEntityType, third.key ?? '');
      if (fourth === undefined) return entityResponse(url, docKind.linesSet, line, context, lineJson);
      if (fourth.name === 'dimensionSetLines') {
        return listResponse(
          req,
          url,
          'dimensionSetLines',
          company.dimensionSetLines.get(str(line.id)) ?? [],
          'dimensionSetLines',
          (r) => ({ '@odata.etag': dimensionEtag(r), ...encodeEnums('dimensionSetLines', r) }),
        );
      }
    }
    if (docKind !== undefined && third.name === 'dimensionSetLines' && parts.length === 3) {
      return listResponse(
        req,
        url,
        'dimensionSetLines',
        company.dimensionSetLines.get(id) ?? [],
        'dimensionSetLines',
        (r) => ({ '@odata.etag': dimensionEtag(r), ...encodeEnums('dimensionSetLines', r) }),
      );
    }
    if (entitySet === 'dimensions' && third.name === 'dimensionValues' && parts.length === 3) {
      return listResponse(
        req,
        url,
        'dimensionValues',
        company.dimensionValues.all().filter((v) => v.dimensionId === id),
        'dimensionValues',
        (r) => toJson(company, 'dimensionValues', r, []),
      );
    }
    throw noRoute();
  }

  /**
   * Writes below a draft: POST/PATCH of lines (APIV2PurchaseInvoiceLines.Page.al) and POST/PATCH of a line's
   * dimension set lines (APIV2DimensionSetLines.Page.al:172-216). Undefined when the request is none of them.
   */
  function routeLineWrite(
    req: RouteRequest,
    url: URL,
    company: CompanyState,
    entitySet: string,
    id: string,
    parts: ReadonlyArray<{ name: string; key: string | undefined }>,
    body: () => Record<string, unknown>,
  ): SimResponse | undefined {
    const method = req.method ?? 'GET';
    if (method !== 'POST' && method !== 'PATCH') return undefined;
    const lineSerialise = (r: Row, e: ExpandItem[]): Row => toJson(company, 'purchaseInvoiceLines', r, e);
    const dimSerialise = (r: Row): Row => ({ '@odata.etag': dimensionEtag(r), ...encodeEnums('dimensionSetLines', r) });
    const third = parts[2];
    const fourth = parts[3];
    // purchaseInvoices(id)/purchaseInvoiceLines[(lineId)[/dimensionSetLines[(dimId)]]] or purchaseInvoiceLines(id)/dimensionSetLines[(dimId)]
    let lineId: string | undefined;
    let dims: { name: string; key: string | undefined } | undefined;
    if (entitySet === 'purchaseInvoices' && third?.name === 'purchaseInvoiceLines') {
      if (third.key === undefined && parts.length === 3 && method === 'POST') {
        return entityResponse(
          url,
          'purchaseInvoiceLines',
          state.createPurchaseInvoiceLine(company, id, body()),
          'purchaseInvoiceLines',
          lineSerialise,
          201,
        );
      }
      lineId = third.key?.toLowerCase();
      dims = fourth;
      if (lineId !== undefined && fourth === undefined && method === 'PATCH') {
        const line = company.purchaseInvoiceLines.get(lineId);
        if (line === undefined) throw notFound('purchaseInvoiceLine', lineId);
        checkIfMatch(req, company.purchaseInvoiceLines.etag(str(line.id)));
        return entityResponse(
          url,
          'purchaseInvoiceLines',
          state.updatePurchaseInvoiceLine(company, lineId, body()),
          'purchaseInvoiceLines',
          lineSerialise,
        );
      }
    } else if (entitySet === 'purchaseCreditMemos' && third?.name === 'purchaseCreditMemoLines') {
      // Only a line's dimension set lines are written below a credit memo (APIV2PurchCrMemoLines.Page.al:286-291).
      lineId = third.key?.toLowerCase();
      dims = fourth;
    } else if (entitySet === 'purchaseInvoiceLines' || entitySet === 'purchaseCreditMemoLines') {
      lineId = id;
      dims = third;
    }
    if (lineId === undefined || dims?.name !== 'dimensionSetLines') return undefined;
    if (dims.key === undefined && method === 'POST') {
      return { status: 201, body: dimSerialise(state.createDimensionSetLine(company, lineId, body())) };
    }
    if (dims.key !== undefined && method === 'PATCH') {
      return { status: 200, body: dimSerialise(state.updateDimensionSetLine(company, lineId, dims.key, body())) };
    }
    return undefined;
  }

  // ---------------------------------------------------------------------------------- server

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', baseOrigin);
    const path = url.pathname;
    const bodyText = await readBody(req);
    const fault = faults.decide('bc', method, path);
    const record = (status: number): void =>
      faults.record({ system: 'bc', method, path, status, ...(fault ? { fault: fault.kind } : {}) });

    if (fault?.kind === 'drop-connection') {
      record(0);
      req.socket.destroy();
      return;
    }
    let response: SimResponse;
    if (fault?.kind === 'throttle' || fault?.kind === 'throttle-no-retry-after') {
      const status = fault.status ?? 429;
      response = errorResponse(
        new BcSimError(
          status,
          status === 429 ? 'Application_TooManyRequests' : 'Internal_ServiceUnavailable',
          'Too many requests reached.',
          fault.kind === 'throttle' ? { 'Retry-After': str(fault.retryAfterSeconds ?? 1) } : {},
        ),
      );
    } else if (fault?.kind === 'server-error') {
      response = errorResponse(
        new BcSimError(fault.status ?? 500, 'Internal_ServerError', 'An unexpected error occurred.'),
      );
    } else {
      response = await authorisedRoute(req, url, bodyText, fault?.kind === 'latency' ? (fault.latencyMs ?? 100) : 0);
    }
    if (fault?.kind === 'lost-response' || response.destroySocket === true) {
      // The work is done (committed); the caller never learns the outcome.
      record(response.status);
      req.socket.destroy();
      return;
    }
    record(response.status);
    write(res, response);
  }

  /** Auth, limits, then the route; `latencyMs` is spent holding the concurrency slot, like slow AL code. */
  async function authorisedRoute(
    req: IncomingMessage,
    url: URL,
    bodyText: string,
    latencyMs: number,
  ): Promise<SimResponse> {
    const auth = req.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1];
    if (token === undefined || !options.validateToken(token)) {
      return errorResponse(
        new BcSimError(401, 'Authentication_InvalidCredentials', 'The server has rejected the client credentials.', {
          'WWW-Authenticate':
            'Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", resource_id="https://api.businesscentral.dynamics.com"',
        }),
      );
    }
    let release: (() => void) | undefined;
    try {
      if (limits !== undefined) release = await admit(userOf(token));
      if (latencyMs > 0) await sleep(latencyMs);
      return await route(req, url, bodyText);
    } catch (error) {
      return errorResponse(error);
    } finally {
      release?.();
    }
  }

  const server = await startHttpServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) write(res, errorResponse(error));
    });
  });
  const baseOrigin = server.url;
  const baseUrl = `${server.url}/v2.0`;
  apiRootUrl = `${baseUrl}/${options.tenantId}/${options.environment}/api/v2.0`;

  function seedFor(company: CompanyState): BcCompanySeed {
    return {
      id: company.id,
      data: company,
      addVendor(input) {
        const paymentTermsId =
          input.paymentTermsCode === undefined
            ? undefined
            : company.paymentTerms.find((p) => p.code === input.paymentTermsCode?.toUpperCase())?.id;
        if (input.paymentTermsCode !== undefined && paymentTermsId === undefined) {
          throw new Error(`addVendor: unknown payment term ${input.paymentTermsCode}`);
        }
        const body: Record<string, unknown> = { ...input };
        delete body.paymentTermsCode;
        if (paymentTermsId !== undefined) body.paymentTermsId = paymentTermsId;
        if (input.blocked !== undefined) body.blocked = encodeEnumMember(input.blocked);
        return state.createVendor(company, body);
      },
      updateVendor(id, patch) {
        const body: Record<string, unknown> = { ...patch };
        delete body.paymentTermsCode;
        if (patch.blocked !== undefined) body.blocked = encodeEnumMember(patch.blocked);
        return state.updateVendor(company, id, body);
      },
      addItem: (input) =>
        state.createItem(company, { ...input, ...(input.type ? { type: encodeEnumMember(input.type) } : {}) }),
      updateItem: (id, patch) =>
        state.updateItem(company, id, { ...patch, ...(patch.type ? { type: encodeEnumMember(patch.type) } : {}) }),
      addAccount: (input) => state.addAccount(company, input),
      addDimension: (code, values, displayName) => state.addDimension(company, code, values, displayName),
      addTaxGroup: (code, ratePercent, displayName) => state.addTaxGroup(company, code, ratePercent, displayName),
      addCurrency: (code, displayName) => state.addCurrency(company, code, displayName),
      addPaymentTerm: (code, termOptions) => state.addPaymentTerm(company, code, termOptions),
      addUnitOfMeasure: (code, displayName) => state.addUnitOfMeasure(company, code, displayName),
      setLocalCurrency: (code) => state.setLocalCurrency(company, code),
      setExtDocNoMandatory: (on) => {
        company.extDocNoMandatory = on;
      },
      setTableFields: (id, fields) => {
        Object.assign(state.tableFieldsOf(company, id.toLowerCase()), fields);
      },
      setVendorTemplate: (template) => {
        company.vendorTemplate = template;
      },
      setTaxModel: (model) => {
        company.taxModel = model;
      },
      addVatPostingSetup: (bus, prod, percent) => {
        company.vatPostingSetup.set(`${bus.toUpperCase()}|${prod.toUpperCase()}`, percent);
        if (!company.taxGroups.find((t) => t.code === prod.toUpperCase())) {
          state.addTaxGroup(company, prod, percent);
          const group = company.taxGroups.find((t) => t.code === prod.toUpperCase());
          if (group) company.taxGroups.put({ ...group, id: str(group.id), taxType: 'VAT' });
        }
      },
      addTaxArea: (code, rates) => {
        company.taxAreas.set(
          code.toUpperCase(),
          new Map(Object.entries(rates).map(([group, rate]) => [group.toUpperCase(), rate])),
        );
      },
      addCountry: (code, displayName, vatFormats) => state.addCountry(company, code, displayName, vatFormats),
      setAllowedPostingDates: (range) => {
        company.allowedPostingDates = { ...range };
      },
      setPurchaseApprovalWorkflow: (on) => {
        company.purchaseApprovalWorkflow = on;
      },
      setExchangeRateMissing: (code, missing) => {
        if (missing) company.currenciesWithoutRate.add(code.toUpperCase());
        else company.currenciesWithoutRate.delete(code.toUpperCase());
      },
      setDeepInsertAnswer: (answer) => {
        company.deepInsertAnswer = answer;
      },
      payInvoice: (invoiceId, amount) => state.payPurchaseInvoice(company, invoiceId, amount),
      remainingAmount: (documentId) => state.remainingAmount(company, documentId),
    };
  }

  const defaultSeed = seedFor(defaultCompany);
  return {
    ...defaultSeed,
    baseUrl,
    apiRoot: apiRootUrl,
    companyId: defaultCompany.id,
    state,
    subscriptions: subs,
    deliveries: subs.deliveries,
    batchOperations,
    faults,
    addCompany: (input = {}) =>
      seedFor(
        state.addCompany({
          name: input.name ?? `Company ${state.companies.size + 1}`,
          ...(input.id !== undefined ? { id: input.id } : {}),
          ...(input.localCurrency !== undefined ? { localCurrency: input.localCurrency } : {}),
        }),
      ),
    company: (id) => seedFor(state.company(id)),
    notify: (resource, changeType, id) => subs.notify(resource, changeType, id),
    flushNotifications: () => subs.flush(),
    async close() {
      subs.close();
      await server.close();
    },
  };
}

function pickCurrency(row: Row): Row {
  return { currencyCode: row.currencyCode ?? '' };
}

function dimensionEtag(row: Row): string {
  return `W/"${Buffer.from(`'${str(row.parentId)};${str(row.id)};${str(row.valueId)}'`).toString('base64')}"`;
}

function parseSegment(segment: string): { name: string; key: string | undefined } {
  const match = /^([A-Za-z][A-Za-z0-9_.]*)(?:\((.*)\))?$/.exec(segment);
  if (!match?.[1]) return { name: segment, key: undefined };
  return { name: match[1], key: match[2] };
}

function unquote(key: string): string {
  return key.startsWith("'") && key.endsWith("'") ? key.slice(1, -1).replace(/''/g, "'") : key;
}

function methodNotAllowed(method: string, target: string): BcSimError {
  return new BcSimError(
    405,
    'BadRequest_MethodNotAllowed',
    `'${method}' requests for '${target}' of EdmType 'Entity' are not allowed within Dynamics 365 Business Central OData web services.`,
  );
}

function parseBody(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BcSimError(400, 'BadRequest', 'Invalid Request Body');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BcSimError(400, 'BadRequest', 'Invalid Request Body');
  }
  return parsed as Record<string, unknown>;
}

function errorResponse(error: unknown): SimResponse {
  const correlationId = randomUUID();
  if (error instanceof BcSimError) {
    return {
      status: error.status,
      headers: error.headers,
      body: { error: { code: error.code, message: `${error.message}  CorrelationId:  ${correlationId}.` } },
    };
  }
  if (error instanceof ODataQueryError) {
    return {
      status: 400,
      body: { error: { code: error.code, message: `${error.message}  CorrelationId:  ${correlationId}.` } },
    };
  }
  return {
    status: 500,
    body: {
      error: {
        code: 'Internal_ServerError',
        message: `An unexpected error occurred.  CorrelationId:  ${correlationId}.`,
      },
    },
  };
}

function write(res: ServerResponse, response: SimResponse): void {
  const headers: Record<string, string> = { 'OData-Version': '4.0', ...(response.headers ?? {}) };
  if (response.body === undefined) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(response.body);
  headers['Content-Type'] =
    'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';
  headers['Content-Length'] = str(Buffer.byteLength(text));
  res.writeHead(response.status, headers);
  res.end(text);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
