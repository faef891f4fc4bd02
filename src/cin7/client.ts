/**
 * The Cin7 Core client: implements `Cin7Port` over the transport chain in `transport.ts`. Every answer is
 * parsed with the zod shapes in `schemas.ts`; a record that does not fit is a `ValidationError` naming the
 * endpoint, the record and the field. Section numbers refer to reference/cin7-core-api.md.
 */
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import type { BackoffOptions } from '../http/backoff.js';
import type { RateLimiter } from '../http/rate-limiter.js';
import { systemClock, type Clock } from '../core/clock.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import { describeIssues } from '../core/zod-issues.js';
import type { Cin7Port } from '../core/ports/cin7.js';
import type { DependencyCall } from '../core/ports/telemetry.js';
import { formatCin7Date } from './dates.js';
import { sharedCin7Limiter } from './limiter.js';
import { paginate } from './paginate.js';
import {
  Cin7Account,
  Cin7Me,
  Cin7NamedRef,
  Cin7PageEnvelope,
  Cin7PaymentTerm,
  Cin7Product,
  Cin7Purchase,
  Cin7PurchaseListRow,
  Cin7Supplier,
  Cin7TaxRule,
  Cin7Webhook,
  Cin7WebhookEnvelope,
  type Cin7ProductInput,
  type Cin7SupplierInput,
  type Cin7WebhookInput,
} from './schemas.js';
import {
  createCin7Transport,
  type Cin7Credentials,
  type Cin7Request,
  type Cin7Send,
  type Cin7ThrottleInfo,
} from './transport.js';

export type { Cin7ThrottleInfo } from './transport.js';
/** Re-exported so composition code can import the client and its shared limiter from one module. */
export { createCin7Limiter, type CreateCin7LimiterOptions } from './limiter.js';

export interface CreateCin7ClientOptions {
  /** `CIN7_BASE_URL`, e.g. `https://inventory.dearsystems.com/ExternalApi/v2/`. */
  baseUrl: string;
  accountId: string;
  applicationKey: string;
  /** Reads the credentials again past any cache, once, when Cin7 refuses them (a key rotated in Key Vault). */
  rereadCredentials?: () => Promise<Cin7Credentials>;
  /** Pass the one limiter of the process (`createCin7Limiter`); default: a process-wide 60/min limiter. */
  limiter?: RateLimiter;
  clock?: Clock;
  /** Retries per call after the first attempt. Default 6. */
  maxRetries?: number;
  /** Cap on the total time one call spends waiting between attempts. Default 5 minutes. */
  maxTotalWaitMs?: number;
  /** Backoff when Cin7 sends no `Retry-After`. Default full jitter from 1 s, capped at 30 s. */
  backoff?: BackoffOptions;
  /** Timeout for the answer's headers and for body inactivity. Default 60 s. */
  requestTimeoutMs?: number;
  /** Page size of every list; default 1000 (the maximum, §2), and 100 for products, as Airbyte pages them. */
  pageSize?: number;
  /** undici dispatcher; default a keep-alive `Agent` owned (and closed) by the client. */
  dispatcher?: Dispatcher;
  /** Called whenever Cin7 throttles and the client backs off; for telemetry. */
  onThrottle?: (info: Cin7ThrottleInfo) => void;
  /**
   * Called once per HTTP attempt, retries and throttled answers included (status 0 for a network error),
   * for dependency telemetry. The target is the host only: no path, query string, header or body.
   */
  onRequest?: (call: DependencyCall) => void;
}

export interface Cin7Client extends Cin7Port {
  /** Closes the keep-alive connections the client opened (not a dispatcher passed in). */
  close(): Promise<void>;
}

/** §2: maximum page size. */
const maxPageSize = 1000;
/** Products carry large records; [AIR] pages them at 100. */
const productPageSize = 100;

/** Names a raw record for people: order number, SKU, code or name, plus the ID. Never a whole body. */
function describeRecord(raw: unknown, kind: string): string {
  if (typeof raw !== 'object' || raw === null) return kind;
  const r = raw as Record<string, unknown>;
  const text = (key: string): string | undefined => {
    const value = r[key];
    return typeof value === 'string' && value !== '' ? value.slice(0, 80) : undefined;
  };
  const label = text('OrderNumber') ?? text('SKU') ?? text('Code') ?? text('Name');
  const id = text('ID');
  const parts = [label, id === undefined ? undefined : `ID ${id}`].filter((p) => p !== undefined);
  return parts.length === 0 ? kind : `${kind} ${parts.join(', ')}`;
}

/** Parses one record; a mismatch names the endpoint, the record and every field path at fault. */
function parseRecord<S extends z.ZodType>(schema: S, raw: unknown, operation: string, kind: string): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const fields = describeIssues(result.error, { limit: 5 }).join('; ');
  throw new ValidationError(
    `Cin7 ${operation} returned ${describeRecord(raw, kind)} that does not match the expected shape: ${fields}`,
    {
      system: 'cin7',
      cause: result.error,
    },
  );
}

/**
 * Creates the Cin7 client. It never logs; every method returns parsed data or throws one of the errors in
 * `src/core/errors.ts`.
 */
export function createCin7Client(options: CreateCin7ClientOptions): Cin7Client {
  const clock = options.clock ?? systemClock;
  const transport = createCin7Transport({
    baseUrl: options.baseUrl,
    accountId: options.accountId,
    applicationKey: options.applicationKey,
    ...(options.rereadCredentials === undefined ? {} : { rereadCredentials: options.rereadCredentials }),
    limiter: options.limiter ?? sharedCin7Limiter(),
    clock,
    maxRetries: options.maxRetries ?? 6,
    maxTotalWaitMs: options.maxTotalWaitMs ?? 5 * 60_000,
    // Full jitter from 1 s, capped at 30 s: a minute-long window clears within a few tries.
    backoff: options.backoff ?? { baseMs: 1000, maxMs: 30_000 },
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    ...(options.onThrottle === undefined ? {} : { onThrottle: options.onThrottle }),
    ...(options.onRequest === undefined ? {} : { onRequest: options.onRequest }),
  });
  const send: Cin7Send = transport.send;
  const pageSize = (fallback: number): number => Math.min(maxPageSize, options.pageSize ?? fallback);

  /** Pages through a list endpoint and parses each row on its own. */
  function list<S extends z.ZodType>(
    endpoint: string,
    listKey: string,
    schema: S,
    kind: string,
    query: Cin7Request['query'] = {},
    limit = pageSize(maxPageSize),
  ): AsyncGenerator<z.output<S>, void, undefined> {
    const operation = `GET ${endpoint}`;
    const envelope = Cin7PageEnvelope(listKey);
    return paginate(
      async (page, size) => {
        const json = await send({ method: 'GET', endpoint, query: { ...query, Page: page, Limit: size } });
        const { Total, rows } = parseRecord(envelope, json, operation, `${listKey} page ${page}`);
        return { Total, rows: rows.map((row) => parseRecord(schema, row, operation, kind)) };
      },
      limit,
      operation,
    );
  }

  async function first<T>(items: AsyncIterable<T>): Promise<T | undefined> {
    for await (const item of items) return item;
    return undefined;
  }

  /** POST/PUT answering with a list envelope: the saved record is the first row (§4, §5). */
  async function write<S extends z.ZodType>(
    method: 'POST' | 'PUT',
    endpoint: string,
    listKey: string,
    schema: S,
    kind: string,
    body: object,
    record: string,
  ): Promise<z.output<S>> {
    const operation = `${method} ${endpoint}`;
    const json = await send({ method, endpoint, body, record });
    const { rows } = parseRecord(Cin7PageEnvelope(listKey), json, operation, record);
    if (rows.length === 0)
      throw new ValidationError(`Cin7 ${operation} (${record}) answered without the saved ${kind}.`, {
        system: 'cin7',
      });
    return parseRecord(schema, rows[0], operation, kind);
  }

  /** A NotFoundError becomes undefined, as the port's `get…` verbs promise. */
  async function orUndefined<T>(work: Promise<T>): Promise<T | undefined> {
    try {
      return await work;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  function findWebhook(json: unknown, operation: string, match: (w: Cin7Webhook) => boolean): Cin7Webhook {
    const { Webhooks } = parseRecord(Cin7WebhookEnvelope, json, operation, 'webhook list');
    const hooks = Webhooks.map((w) => parseRecord(Cin7Webhook, w, operation, 'webhook'));
    const found = hooks.filter(match).at(-1) ?? hooks.at(-1);
    if (!found) throw new ValidationError(`Cin7 ${operation} answered without the saved webhook.`, { system: 'cin7' });
    return found;
  }

  return {
    /** §6.4: company settings, including the base currency. */
    async getMe() {
      const json = await send({ method: 'GET', endpoint: 'me' });
      return parseRecord(Cin7Me, json, 'GET me', 'company settings');
    },

    /** §3.1: purchaseList, paged, ordered by creation; `UpdatedSince` as UTC without offset (§2). */
    listPurchases(listOptions = {}) {
      return list('purchaseList', 'PurchaseList', Cin7PurchaseListRow, 'purchase', {
        UpdatedSince: listOptions.updatedSince === undefined ? undefined : formatCin7Date(listOptions.updatedSince),
        Search: listOptions.search,
      });
    },

    /**
     * §3.1: GET advanced-purchase?ID= serves simple, advanced and service purchases. The deprecated
     * GET purchase?ID= is not used: its invoice is one object without `TaskID`, the key every ledger row needs.
     */
    getPurchase: (id) =>
      orUndefined(
        send({ method: 'GET', endpoint: 'advanced-purchase', query: { ID: id }, record: `purchase ${id}` }).then(
          (json) => parseRecord(Cin7Purchase, json, 'GET advanced-purchase', 'purchase'),
        ),
      ),

    /** §4: deprecated suppliers are included so a deprecation reaches BC too. */
    listSuppliers(listOptions = {}) {
      return list('supplier', 'SupplierList', Cin7Supplier, 'supplier', {
        ModifiedSince: listOptions.modifiedSince === undefined ? undefined : formatCin7Date(listOptions.modifiedSince),
        Name: listOptions.name,
        IncludeDeprecated: true,
      });
    },

    /** §4: GET supplier?ID=. */
    async getSupplier(id) {
      return orUndefined(
        first(list('supplier', 'SupplierList', Cin7Supplier, 'supplier', { ID: id, IncludeDeprecated: true })),
      );
    },

    /** §4: POST supplier answers with the SupplierList envelope. Retried only on a 429/503 answer. */
    createSupplier: (input: Cin7SupplierInput) =>
      write('POST', 'supplier', 'SupplierList', Cin7Supplier, 'supplier', input, `supplier ${input.Name}`),

    /** §4: PUT supplier (ID required). Retried only on a 429/503 answer. */
    updateSupplier: (input) =>
      write('PUT', 'supplier', 'SupplierList', Cin7Supplier, 'supplier', input, `supplier ${input.ID}`),

    /** §5: products, paged at 100; deprecated ones included so their SKUs are known. */
    listProducts(listOptions = {}) {
      return list(
        'product',
        'Products',
        Cin7Product,
        'product',
        {
          ModifiedSince:
            listOptions.modifiedSince === undefined ? undefined : formatCin7Date(listOptions.modifiedSince),
          IncludeDeprecated: true,
        },
        pageSize(productPageSize),
      );
    },

    /**
     * §5, §8.10: the `Sku` filter matches by "containing", so every hit is read and the exact SKU picked.
     * Case-sensitive first; if none matches exactly, a single case-insensitive match is accepted (Cin7's own
     * uniqueness check on names is case-insensitive, §1.3). Several case-insensitive matches and no exact
     * one is ambiguous and raises a ValidationError instead of guessing. Deprecated products are included:
     * their SKU still blocks a create.
     */
    async getProductBySku(sku) {
      const hits: Cin7Product[] = [];
      for await (const product of list(
        'product',
        'Products',
        Cin7Product,
        'product',
        { Sku: sku, IncludeDeprecated: true },
        pageSize(productPageSize),
      )) {
        if (product.SKU === sku) return product;
        if (product.SKU.toLowerCase() === sku.toLowerCase()) hits.push(product);
      }
      if (hits.length > 1) {
        throw new ValidationError(
          `Cin7 has ${hits.length} products whose SKU matches ${JSON.stringify(sku)} only when case is ignored ` +
            `(${hits.map((h) => h.SKU).join(', ')}); map the item explicitly.`,
          { system: 'cin7' },
        );
      }
      return hits[0];
    },

    /** §5: POST product answers with the Products envelope. Retried only on a 429/503 answer. */
    createProduct: (input: Cin7ProductInput) =>
      write('POST', 'product', 'Products', Cin7Product, 'product', input, `SKU ${input.SKU}`),

    /** §5: PUT product by ID. Retried only on a 429/503 answer. */
    updateProduct: (input) => write('PUT', 'product', 'Products', Cin7Product, 'product', input, `SKU ${input.SKU}`),

    /** §6.1 */
    listAccounts: () => list('ref/account', 'AccountsList', Cin7Account, 'account'),
    /** §6.2 */
    listTaxRules: () => list('ref/tax', 'TaxRuleList', Cin7TaxRule, 'tax rule'),
    /** §6.3 */
    listPaymentTerms: () => list('ref/paymentterm', 'PaymentTermList', Cin7PaymentTerm, 'payment term'),
    /** §6.5 */
    listLocations: () => list('ref/location', 'LocationList', Cin7NamedRef, 'location'),
    /** §6.5 */
    listCategories: () => list('ref/category', 'CategoryList', Cin7NamedRef, 'category'),

    /** §6.5: POST ref/category answers with the bare `{ID, Name}`. Retried only on a 429/503 answer. */
    async createCategory(name) {
      const json = await send({
        method: 'POST',
        endpoint: 'ref/category',
        body: { Name: name },
        record: `category ${name}`,
      });
      return parseRecord(Cin7NamedRef, json, 'POST ref/category', 'category');
    },

    /** §6.5 */
    listUnits: () => list('ref/unit', 'UnitList', Cin7NamedRef, 'unit'),

    /** §7.1: `{Webhooks:[...]}`, not paged. */
    async listWebhooks() {
      const json = await send({ method: 'GET', endpoint: 'webhooks' });
      const { Webhooks } = parseRecord(Cin7WebhookEnvelope, json, 'GET webhooks', 'webhook list');
      return Webhooks.map((w) => parseRecord(Cin7Webhook, w, 'GET webhooks', 'webhook'));
    },

    /** §7.1: POST webhooks (at most 5 per Type). Retried only on a 429/503 answer. */
    async createWebhook(input: Cin7WebhookInput) {
      const json = await send({ method: 'POST', endpoint: 'webhooks', body: input, record: `webhook ${input.Type}` });
      return findWebhook(json, 'POST webhooks', (w) => w.Type === input.Type && w.ExternalURL === input.ExternalURL);
    },

    /** §7.1, §7.4: PUT webhooks, e.g. to re-activate one Cin7 switched off. Retried only on a 429/503 answer. */
    async updateWebhook(input) {
      const json = await send({ method: 'PUT', endpoint: 'webhooks', body: input, record: `webhook ${input.ID}` });
      return findWebhook(json, 'PUT webhooks', (w) => w.ID.toLowerCase() === input.ID.toLowerCase());
    },

    close: () => transport.close(),
  };
}
