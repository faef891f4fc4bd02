/**
 * BC webhook subscriptions on `vendors` and `items` (DESIGN §4 BC subscriptions, reference/bc-api.md §6):
 * the timer's use case (`ensureBcSubscriptions`) and the notification endpoint's (`acceptBcNotifications`).
 *
 * - A subscription lives 3 days. The timer renews one that expires within `renewWithinMs` (one day by
 *   default, so a 6-hourly timer has several chances) with PATCH + `If-Match`, re-creates one BC deleted
 *   (telemetry `bc.subscription.repaired`), replaces one whose clientState is not the current secret (after
 *   `bc-client-state` is rotated BC would keep sending the old state, which the endpoint ignores), adopts one
 *   the store forgot, removes duplicates on our URL, and records what it did in the SubscriptionStore.
 * - A notification carries no data: one job per notified entity is enqueued (the job reads it back), a
 *   `collection` notification becomes a `bc-collection` job from its `lastModifiedDateTime` filter, and a
 *   notification whose `clientState` does not match (constant-time compare) is ignored.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { BcNotification, BcSubscription } from '../../bc/schemas.js';
import type { SyncDeps } from '../deps.js';
import { isConnectorError } from '../../core/errors.js';
import { envelopeFor } from '../jobs/intake.js';
import type { Clock } from '../../core/clock.js';
import type { JobEnvelope, JobQueue } from '../../core/ports/jobs.js';
import type { Logger } from '../../core/ports/telemetry.js';
import type { SubscriptionRecord } from '../../core/ports/stores.js';

/** The entity sets the master-data flows subscribe to. */
export const subscribedResources = ['vendors', 'items'] as const;
export type SubscribedResource = (typeof subscribedResources)[number];

/** Renew when a subscription expires within this (BC: 3-day lifetime; the timer runs every 6 hours). */
export const defaultRenewWithinMs = 24 * 3_600_000;

/** The shared secret as the use cases see it: never printed (`Secret` in src/config). */
export interface ClientStateSecret {
  reveal(): string;
}

/**
 * Whether `candidate` is the current clientState. BC's documentation shows the clientState it echoes back
 * lower-cased (reference/bc-api.md §6.1), and notifications carry the stored value
 * (APIWebhookNotificationSend.Codeunit.al:1310), so both sides are compared lower-cased. Hashed first so the
 * comparison takes the same time whatever the lengths and wherever they differ (DESIGN §4).
 */
export function clientStateMatches(secret: ClientStateSecret, candidate: string | undefined): boolean {
  if (candidate === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value.toLowerCase(), 'utf8').digest();
  return timingSafeEqual(digest(secret.reveal()), digest(candidate));
}

export interface EnsureSubscriptionsOptions {
  /** `${PUBLIC_BASE_URL}/api/notifications/bc`. */
  notificationUrl: string;
  clientState: ClientStateSecret;
  /** The configured company (`BC_COMPANY_ID`): a subscription of another company is not ours. */
  companyId: string;
  renewWithinMs?: number;
}

export type SubscriptionAction = 'created' | 're-created' | 'replaced' | 'renewed' | 'adopted' | 'ok';

export interface SubscriptionReport {
  resource: SubscribedResource;
  action: SubscriptionAction;
  subscriptionId: string;
  expirationDateTime: string;
  /** Duplicates on our URL that were deleted. */
  removed: string[];
}

function resourceOf(subscription: Pick<BcSubscription, 'resource'>, companyId: string): SubscribedResource | undefined {
  const match = /companies\(([^)]+)\)\/([A-Za-z]+)\/?$/i.exec(subscription.resource);
  if (!match?.[1] || !match[2]) return undefined;
  if (match[1].replace(/'/g, '').toLowerCase() !== companyId.toLowerCase()) return undefined;
  return subscribedResources.find((r) => r === match[2]);
}

function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();
}

type EnsureDeps = Pick<SyncDeps, 'bc' | 'stores' | 'clock' | 'logger' | 'telemetry'>;

export async function ensureBcSubscriptions(
  deps: EnsureDeps,
  options: EnsureSubscriptionsOptions,
): Promise<SubscriptionReport[]> {
  const now = deps.clock.now();
  // reference/bc-api.md §6.1: GET subscriptions (not company-scoped).
  const live = (await deps.bc.listSubscriptions()).filter((s) => sameUrl(s.notificationUrl, options.notificationUrl));
  const reports: SubscriptionReport[] = [];
  for (const resource of subscribedResources) {
    const stored = await deps.stores.subscriptions.get(resource);
    const mine = live.filter((s) => resourceOf(s, options.companyId) === resource);
    const keep =
      mine.find((s) => s.subscriptionId === stored?.value.subscriptionId) ??
      [...mine].sort((a, b) => b.expirationDateTime.localeCompare(a.expirationDateTime))[0];
    const removed = await removeDuplicates(deps, mine, keep);
    const { action, current } = await settleSubscription(deps, options, resource, keep, stored?.value, now);
    await recordSubscription(deps, { resource, action, current, removed, stored: stored?.value, now });
    reports.push({
      resource,
      action,
      subscriptionId: current.subscriptionId,
      expirationDateTime: current.expirationDateTime,
      removed,
    });
  }
  return reports;
}

/** Two subscriptions on one URL would notify twice; every one but `keep` is deleted. */
async function removeDuplicates(
  deps: EnsureDeps,
  mine: readonly BcSubscription[],
  keep: BcSubscription | undefined,
): Promise<string[]> {
  const removed: string[] = [];
  for (const extra of mine) {
    if (extra === keep) continue;
    await deps.bc.deleteSubscription(extra.subscriptionId, extra['@odata.etag'] ?? '*');
    removed.push(extra.subscriptionId);
  }
  return removed;
}

/** Creates, replaces, renews or adopts the subscription to keep, and says which it did. */
async function settleSubscription(
  deps: EnsureDeps,
  options: EnsureSubscriptionsOptions,
  resource: SubscribedResource,
  keep: BcSubscription | undefined,
  stored: SubscriptionRecord | undefined,
  now: number,
): Promise<{ action: SubscriptionAction; current: BcSubscription }> {
  const create = () =>
    deps.bc.createSubscription({
      notificationUrl: options.notificationUrl,
      resource,
      clientState: options.clientState.reveal(),
    });
  if (keep === undefined) return { current: await create(), action: stored ? 're-created' : 'created' };
  if (!clientStateMatches(options.clientState, keep.clientState)) {
    // The secret was rotated (or BC did not echo it): every notification of this subscription would be
    // ignored. The new one is created before the old one goes, so there is never a moment without one.
    const current = await create();
    await deps.bc.deleteSubscription(keep.subscriptionId, keep['@odata.etag'] ?? '*');
    return { current, action: 'replaced' };
  }
  const ours = stored?.subscriptionId === keep.subscriptionId;
  const renewDue = Date.parse(keep.expirationDateTime) - now <= (options.renewWithinMs ?? defaultRenewWithinMs);
  if (!renewDue) return { current: keep, action: ours ? 'ok' : 'adopted' };
  try {
    // reference/bc-api.md §6.2: PATCH with If-Match renews for 3 more days (BC handshakes again).
    const current = await deps.bc.renewSubscription(
      {
        subscriptionId: keep.subscriptionId,
        notificationUrl: options.notificationUrl,
        resource: keep.resource,
        clientState: options.clientState.reveal(),
      },
      keep['@odata.etag'] ?? '*',
    );
    return { current, action: ours ? 'renewed' : 'adopted' };
  } catch (error) {
    // Expired and purged between the list and the PATCH: create it again.
    if (!(isConnectorError(error) && error.kind === 'not-found')) throw error;
    return { current: await create(), action: 're-created' };
  }
}

/** Stores what was done in the SubscriptionStore and tells the operator about anything but `ok`. */
async function recordSubscription(
  deps: EnsureDeps,
  outcome: {
    resource: SubscribedResource;
    action: SubscriptionAction;
    current: BcSubscription;
    removed: string[];
    stored: SubscriptionRecord | undefined;
    now: number;
  },
): Promise<void> {
  const { resource, action, current, removed, stored } = outcome;
  const at = new Date(outcome.now).toISOString();
  const record: SubscriptionRecord = {
    resource,
    subscriptionId: current.subscriptionId,
    expirationDateTime: current.expirationDateTime,
    notificationUrl: current.notificationUrl,
    ...(current['@odata.etag'] ? { bcEtag: current['@odata.etag'] } : {}),
    ...(action === 'renewed' || action === 'created' || action === 're-created' || action === 'replaced'
      ? { lastRenewedAt: at }
      : stored?.lastRenewedAt
        ? { lastRenewedAt: stored.lastRenewedAt }
        : {}),
    lastAction: `${action} at ${at}${removed.length > 0 ? `; removed duplicates ${removed.join(', ')}` : ''}`,
  };
  await deps.stores.subscriptions.upsert(record);
  if (action === 're-created') {
    deps.telemetry.event('bc.subscription.repaired', {
      resource,
      subscriptionId: current.subscriptionId,
      previous: stored?.subscriptionId ?? '',
    });
    deps.logger.warn(
      `BC subscription on ${resource} had vanished and was re-created; the next BC poll covers the gap`,
      { resource },
    );
  } else if (action === 'replaced') {
    deps.telemetry.event('bc.subscription.replaced', { resource, subscriptionId: current.subscriptionId });
    deps.logger.warn(
      `BC subscription on ${resource} carried another clientState (bc-client-state rotated?) and was replaced`,
      { resource },
    );
  } else if (action !== 'ok') {
    deps.logger.info(`BC subscription on ${resource} ${action}, expires ${current.expirationDateTime}`, { resource });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Notifications

export interface NotificationTarget {
  resource: SubscribedResource;
  companyId: string;
  /** The entity id for created/updated/deleted. */
  id?: string;
  /** The `lastModifiedDateTime gt` time of a `collection` notification. */
  since?: string;
}

/** `decodeURIComponent` without the throw: `undefined` for a malformed `%` escape. */
function decoded(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/**
 * reference/bc-api.md §6.3: `…/companies({cid})/vendors({id})` for an entity (keys may be quoted and
 * URI-escaped), `…/companies({cid})/items?$filter=lastModifiedDateTime%20gt%20{time}` for a collection.
 * `undefined` when the resource is not one of ours; `'malformed'` when its company or key cannot be decoded.
 */
export function parseNotificationResource(resource: string): NotificationTarget | 'malformed' | undefined {
  const [path = '', query = ''] = resource.split('?', 2);
  const match = /companies\(([^)]+)\)\/([A-Za-z]+)(?:\(([^)]*)\))?\/?$/i.exec(path);
  if (!match?.[1] || !match[2]) return undefined;
  const entitySet = subscribedResources.find((r) => r === match[2]);
  if (entitySet === undefined) return undefined;
  const unquote = (v: string): string | undefined => decoded(v)?.replace(/^'(.*)'$/, '$1');
  const companyId = unquote(match[1]);
  if (companyId === undefined) return 'malformed';
  const target: NotificationTarget = { resource: entitySet, companyId: companyId.toLowerCase() };
  if (match[3] !== undefined && match[3] !== '') {
    const id = unquote(match[3])?.toLowerCase();
    if (id === undefined) return 'malformed';
    // v2.0 entities are keyed by their SystemId GUID (reference §5); anything else is not ours.
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) return undefined;
    target.id = id;
  }
  if (query !== '') {
    // A filter that cannot be decoded still names the collection: it is polled from the watermark instead.
    const filter = decoded(query.replace(/\+/g, ' ')) ?? '';
    const since = /lastModifiedDateTime\s+gt\s+([0-9T:.\-+Z]+)/i.exec(filter)?.[1];
    if (since !== undefined && !Number.isNaN(Date.parse(since))) target.since = new Date(since).toISOString();
  }
  return target;
}

export interface AcceptNotificationsResult {
  enqueued: JobEnvelope[];
  /** Notifications dropped because their clientState did not match (DESIGN §3.8). */
  rejected: number;
  /** Notifications of another company, an unknown or malformed resource, or a deleted entity. */
  ignored: number;
}

/** The notification endpoint's use case: check, translate to jobs, enqueue. Fast: no reads. */
export async function acceptBcNotifications(
  notifications: readonly BcNotification[],
  deps: { queue: JobQueue; clock: Pick<Clock, 'now'>; logger: Logger },
  options: { clientState: ClientStateSecret; companyId: string; correlationId: string },
): Promise<AcceptNotificationsResult> {
  let rejected = 0;
  let ignored = 0;
  const envelopes = new Map<string, JobEnvelope>();
  for (const [index, notification] of notifications.entries()) {
    if (!clientStateMatches(options.clientState, notification.clientState)) {
      rejected += 1;
      continue;
    }
    const target = parseNotificationResource(notification.resource);
    if (target === 'malformed') {
      // One bad entry must not cost the batch: a 503 would make BC resend the good ones with it, forever.
      deps.logger.warn(
        `BC notification ${index + 1} of ${notifications.length} ignored: its resource has a malformed %-escape`,
        { correlationId: options.correlationId },
      );
      ignored += 1;
      continue;
    }
    if (target === undefined || target.companyId !== options.companyId.toLowerCase()) {
      ignored += 1;
      continue;
    }
    const version = `notification:${notification.lastModifiedDateTime ?? deps.clock.now()}`;
    let envelope: JobEnvelope;
    if (notification.changeType === 'collection') {
      envelope = envelopeFor(
        { type: 'bc-collection', resource: target.resource, ...(target.since ? { since: target.since } : {}) },
        version,
        'notification',
        deps.clock,
      );
    } else if (notification.changeType === 'deleted' || target.id === undefined) {
      // A vendor or item deleted in BC leaves the Cin7 record as it is (nothing is deleted in Cin7).
      ignored += 1;
      continue;
    } else if (target.resource === 'vendors') {
      envelope = envelopeFor({ type: 'bc-vendor', vendorId: target.id }, version, 'notification', deps.clock);
    } else {
      envelope = envelopeFor({ type: 'bc-item', itemId: target.id }, version, 'notification', deps.clock);
    }
    envelopes.set(envelope.messageId, envelope);
  }
  const enqueued = [...envelopes.values()];
  if (enqueued.length > 0) await deps.queue.enqueue(enqueued);
  if (rejected > 0)
    deps.logger.warn(`BC notification: ${rejected} notification(s) with a wrong clientState ignored`, { rejected });
  return { enqueued, rejected, ignored };
}

/** The notification endpoint BC calls: the `bc-notification` function's route under the app's base URL. */
export function bcNotificationUrl(publicBaseUrl: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/api/notifications/bc`;
}
