/**
 * BC webhook subscriptions (reference/bc-api.md §6): handshake on create and renew, 3-day expiry,
 * merged notifications after a delay, `collection` notifications above a threshold, BC's retry rules
 * (408/429/5xx/no answer → retry; any other non-2xx → the subscription is deleted).
 */
import { randomUUID } from 'node:crypto';
import { BcSimError } from './bc-state.js';
import { str, type Row } from './odata-query.js';

export type ChangeType = 'created' | 'updated' | 'deleted' | 'collection';

/** reference §6.2: subscriptions expire after 3 days unless renewed. */
export const SUBSCRIPTION_LIFETIME_MS = 3 * 24 * 60 * 60 * 1000;
/** reference §6.4: at most 200 subscriptions per environment. */
const MAX_SUBSCRIPTIONS = 200;
/** reference §6.4: pages backed by temporary tables cannot be subscribed to. */
const SUPPORTED_RESOURCES = new Set([
  'accounts',
  'currencies',
  'dimensions',
  'items',
  'paymentMethods',
  'paymentTerms',
  'purchaseInvoices',
  'unitsOfMeasure',
  'vendors',
  'customers',
  'employees',
  'salesInvoices',
  'salesOrders',
  'journals',
]);

export interface SubscriptionOptions {
  now: () => number;
  /** Delay between the first change and the notification (BC: 30 s; tests: 0). */
  delayMs: number;
  /** Above this many changes in one window, one `collection` notification is sent (BC: 1,000). */
  collectionThreshold: number;
  /** Waits before delivery retries (BC: 1, 1, 1, 10, 100 minutes; attempts above 5 delete the subscription). */
  retryDelaysMs: readonly number[];
  /** How long the notification URL has to answer the handshake (5 s per K-WH). */
  handshakeTimeoutMs: number;
  companyExists: (companyId: string) => boolean;
}

export interface Delivery {
  url: string;
  body: { value: Row[] };
  /** HTTP status, or 0 when there was no answer. */
  status: number;
  attempt: number;
}

interface Pending {
  changes: Map<string, ChangeType>;
  firstChangeAt: number;
  hadDelete: boolean;
}

interface Subscription {
  row: Row;
  version: number;
  companyId: string;
  entitySet: string;
}

/**
 * BC's API documentation (Create and Update subscriptions, reference/bc-api.md §6.1) shows the clientState it
 * answers with lower-cased; notifications then carry that stored value
 * (APIWebhookNotificationSend.Codeunit.al:1310 adds `clientState` from the subscription's "Client State").
 */
function storedClientState(value: string): string {
  return value.toLowerCase();
}

export class SubscriptionManager {
  readonly subscriptions = new Map<string, Subscription>();
  readonly deliveries: Delivery[] = [];
  /** Bodies of the PATCH renewals, in order (the documented body names notificationUrl, resource, clientState). */
  readonly renewals: Array<Record<string, unknown>> = [];
  private readonly pending = new Map<string, Pending>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private version = 0;
  private closed = false;

  constructor(private readonly options: SubscriptionOptions) {}

  etag(id: string): string {
    const sub = this.subscriptions.get(id);
    return `W/"${Buffer.from(`'${sub?.version ?? 0};sub'`).toString('base64')}"`;
  }

  /** Deletes expired subscriptions (S-WHS `DeleteExpiredSubscriptions`). */
  purgeExpired(): void {
    const now = this.options.now();
    for (const [id, sub] of this.subscriptions) {
      if (Date.parse(str(sub.row.expirationDateTime)) <= now) {
        this.subscriptions.delete(id);
        this.pending.delete(id);
      }
    }
  }

  list(): Row[] {
    this.purgeExpired();
    return [...this.subscriptions.values()].map((s) => s.row);
  }

  get(id: string): Subscription | undefined {
    this.purgeExpired();
    return this.subscriptions.get(id);
  }

  async create(body: Record<string, unknown>): Promise<Row> {
    this.purgeExpired();
    const notificationUrl = body.notificationUrl;
    const resource = body.resource;
    const clientState = body.clientState ?? '';
    if (typeof notificationUrl !== 'string' || notificationUrl === '') {
      throw new BcSimError(400, 'BadRequest', 'The notificationUrl field must be filled in.');
    }
    if (typeof resource !== 'string' || resource === '') {
      throw new BcSimError(400, 'BadRequest', 'The resource field must be filled in.');
    }
    if (typeof clientState !== 'string' || clientState.length > 2048) {
      throw new BcSimError(
        400,
        'Application_StringExceededLength',
        'The length of the clientState must be less than or equal to 2048 characters.',
      );
    }
    const target = parseResource(resource);
    if (target === undefined || !this.options.companyExists(target.companyId)) {
      throw new BcSimError(400, 'BadRequest_ResourceNotFound', `The resource '${resource}' was not found.`);
    }
    if (!SUPPORTED_RESOURCES.has(target.entitySet)) {
      throw new BcSimError(
        400,
        'Application_DialogException',
        `The entity '${target.entitySet}' does not support webhooks.`,
      );
    }
    if (this.subscriptions.size >= MAX_SUBSCRIPTIONS) {
      throw new BcSimError(400, 'Application_DialogException', 'The maximum number of subscriptions has been reached.');
    }
    await this.handshake(notificationUrl, 'created');
    const id = randomUUID().replace(/-/g, '');
    const now = new Date(this.options.now()).toISOString();
    const row: Row = {
      subscriptionId: id,
      notificationUrl,
      resource,
      timestamp: this.options.now(),
      userId: randomUUID(),
      lastModifiedDateTime: now,
      clientState: storedClientState(clientState),
      expirationDateTime: new Date(this.options.now() + SUBSCRIPTION_LIFETIME_MS).toISOString(),
      systemCreatedAt: now,
      systemCreatedBy: randomUUID(),
      systemModifiedAt: now,
      systemModifiedBy: randomUUID(),
    };
    this.version += 1;
    this.subscriptions.set(id, {
      row,
      version: this.version,
      companyId: target.companyId,
      entitySet: target.entitySet,
    });
    return row;
  }

  /** PATCH: handshake again and extend the expiry by 3 days from now. */
  async renew(id: string, body: Record<string, unknown>): Promise<Row> {
    const sub = this.get(id);
    if (sub === undefined) throw subscriptionNotFound(id);
    this.renewals.push(body);
    const notificationUrl =
      typeof body.notificationUrl === 'string' ? body.notificationUrl : str(sub.row.notificationUrl);
    await this.handshake(notificationUrl, 'renewed');
    const now = new Date(this.options.now()).toISOString();
    sub.row = {
      ...sub.row,
      notificationUrl,
      ...(typeof body.clientState === 'string' ? { clientState: storedClientState(body.clientState) } : {}),
      expirationDateTime: new Date(this.options.now() + SUBSCRIPTION_LIFETIME_MS).toISOString(),
      lastModifiedDateTime: now,
      systemModifiedAt: now,
    };
    this.version += 1;
    sub.version = this.version;
    return sub.row;
  }

  delete(id: string): void {
    if (this.get(id) === undefined) throw subscriptionNotFound(id);
    this.subscriptions.delete(id);
    this.pending.delete(id);
  }

  private async handshake(notificationUrl: string, action: 'created' | 'renewed'): Promise<void> {
    const token = randomUUID();
    const url = `${notificationUrl}${notificationUrl.includes('?') ? '&' : '?'}validationToken=${encodeURIComponent(token)}`;
    let ok: boolean;
    try {
      const response = await fetch(url, {
        method: 'POST',
        signal: AbortSignal.timeout(this.options.handshakeTimeoutMs),
      });
      const text = await response.text();
      ok = response.status === 200 && text.trim() === token;
    } catch {
      ok = false;
    }
    if (!ok) {
      throw new BcSimError(
        400,
        'Application_DialogException',
        `The subscription cannot be ${action} because the notification URL did not respond to the validation request with the validation token.`,
      );
    }
  }

  /** A change to an entity: queue a notification for every subscription on that entity set. */
  onChange(companyId: string, entitySet: string, id: string, changeType: Exclude<ChangeType, 'collection'>): void {
    this.purgeExpired();
    for (const [subscriptionId, sub] of this.subscriptions) {
      if (sub.companyId !== companyId || sub.entitySet !== entitySet) continue;
      let pending = this.pending.get(subscriptionId);
      if (pending === undefined) {
        pending = { changes: new Map(), firstChangeAt: this.options.now(), hadDelete: false };
        this.pending.set(subscriptionId, pending);
        this.schedule(this.options.delayMs);
      }
      const previous = pending.changes.get(id);
      // Repeated updates merge; a create followed by updates stays a create (reference §6.3).
      pending.changes.set(id, previous === 'created' && changeType === 'updated' ? 'created' : changeType);
      if (changeType === 'deleted') pending.hadDelete = true;
    }
  }

  /** Sends one notification now to every matching subscription (resource `vendors`, or a full resource path). */
  notify(resource: string, changeType: ChangeType, id: string): void {
    for (const [subscriptionId, sub] of this.subscriptions) {
      const matches =
        resource === sub.entitySet ||
        resource === sub.row.resource ||
        parseResource(resource)?.entitySet === sub.entitySet;
      if (!matches) continue;
      const item = this.notificationFor(sub, changeType, id, this.options.now());
      this.deliver(str(sub.row.notificationUrl), [subscriptionId], { value: [item] }, 0);
    }
  }

  /** Sends everything pending now and waits for every delivery in flight (including retries). */
  async flush(): Promise<void> {
    this.sendPending();
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.sendPending();
    }, delayMs);
    this.timers.add(timer);
  }

  private notificationFor(sub: Subscription, changeType: ChangeType, id: string | undefined, at: number): Row {
    const base = str(sub.row.resource).replace(/\/+$/, '');
    return {
      subscriptionId: str(sub.row.subscriptionId),
      // APIWebhookNotificationSend.Codeunit.al:1310: the subscription's stored Client State, as stored.
      clientState: str(sub.row.clientState ?? ''),
      expirationDateTime: str(sub.row.expirationDateTime),
      resource: id === undefined ? base : `${base}(${id})`,
      changeType,
      lastModifiedDateTime: new Date(at).toISOString(),
    };
  }

  private sendPending(): void {
    this.purgeExpired();
    const byUrl = new Map<string, { ids: string[]; items: Row[] }>();
    const now = this.options.now();
    for (const [subscriptionId, pending] of this.pending) {
      const sub = this.subscriptions.get(subscriptionId);
      if (sub === undefined) continue;
      const items: Row[] = [];
      if (pending.changes.size > this.options.collectionThreshold) {
        const collection = this.notificationFor(sub, 'collection', undefined, now);
        if (!pending.hadDelete) {
          // reference §6.3: the first change minus 50 ms, as a lastModifiedDateTime filter.
          const since = new Date(pending.firstChangeAt - 50).toISOString();
          collection.resource = `${str(collection.resource)}?$filter=lastModifiedDateTime%20gt%20${since}`;
        }
        items.push(collection);
      } else {
        for (const [id, changeType] of pending.changes) items.push(this.notificationFor(sub, changeType, id, now));
      }
      const url = str(sub.row.notificationUrl);
      const group = byUrl.get(url) ?? { ids: [], items: [] };
      group.ids.push(subscriptionId);
      group.items.push(...items);
      byUrl.set(url, group);
    }
    this.pending.clear();
    for (const [url, group] of byUrl) this.deliver(url, group.ids, { value: group.items }, 0);
  }

  private deliver(url: string, subscriptionIds: string[], body: { value: Row[] }, attempt: number): void {
    const work = (async () => {
      let status: number;
      try {
        const correlationId = randomUUID();
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            clientRequestId: correlationId,
            'x-ms-correlation-id': correlationId,
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.options.handshakeTimeoutMs * 2),
        });
        status = response.status;
        await response.arrayBuffer();
      } catch {
        status = 0;
      }
      this.deliveries.push({ url, body, status, attempt });
      if (status >= 200 && status < 300) return;
      const retryable = status === 0 || status === 408 || status === 429 || status >= 500;
      const delay = this.options.retryDelaysMs[attempt];
      if (retryable && delay !== undefined && !this.closed) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            resolve();
          }, delay);
          this.timers.add(timer);
        });
        if (!this.closed) this.deliver(url, subscriptionIds, body, attempt + 1);
        return;
      }
      // S-WHS ShouldReschedule: anything else (or too many attempts) deletes the subscription.
      for (const id of subscriptionIds) this.subscriptions.delete(id);
    })();
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }
}

function subscriptionNotFound(id: string): BcSimError {
  return new BcSimError(
    404,
    'Internal_RecordNotFound',
    `The API Webhook Subscription does not exist. Identification fields and values: Subscription Id='${id}'`,
  );
}

/** `/api/v2.0/companies(<id>)/vendors` (relative or absolute) → company and entity set. */
export function parseResource(resource: string): { companyId: string; entitySet: string } | undefined {
  const match = /api\/v2\.0\/companies\(([0-9a-f-]{36})\)\/([A-Za-z]+)\/?$/i.exec(resource);
  if (!match?.[1] || !match[2]) return undefined;
  return { companyId: match[1].toLowerCase(), entitySet: match[2] };
}
