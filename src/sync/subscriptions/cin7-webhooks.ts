/**
 * The Cin7 webhooks the connector needs (DESIGN §4 Cin7 webhooks, reference/cin7-core-api.md §7), pointing
 * at `${PUBLIC_BASE_URL}/api/webhooks/cin7` with the `cin7-webhook-secret` in the connector's own header
 * (`X-Cin7-Webhook-Secret`, sent by Cin7 through `ExternalHeaders`). Not `bearerauth`: the header Cin7 sends
 * for it is not documented, and a guess that is wrong means a 401 on every delivery, the webhook switched
 * off after 6 and switched on again by the timer, in a loop.
 *
 * - `setupCin7Webhooks` registers each type once: run again, it finds its own webhook (same type and URL)
 *   instead of creating a duplicate (Cin7 allows 5 per type).
 * - `checkCin7Webhooks` (timer) re-activates any that Cin7 switched off after 6 failed deliveries, with the
 *   secret sent again from Key Vault, re-creates any that vanished, emits
 *   `cin7.webhook.reactivated`, and records what it did in the SubscriptionStore under `cin7:<Type>`. The
 *   next poll covers the events missed meanwhile (the poll watermark only moves when the poll runs).
 * - GET /webhooks does return credentials (`ExternalPassword`, header values: openapi.yaml:28610-28618); the
 *   `Cin7Webhook` schema drops them at parse, so nothing recorded or reported here can hold one (I7).
 */
import type { Cin7Webhook, Cin7WebhookInput } from '../../cin7/schemas.js';
import { cin7WebhookSecretHeader } from '../../cin7/webhook-payloads.js';
import type { SyncDeps } from '../deps.js';
import type { SubscriptionRecord } from '../../core/ports/stores.js';

/** What the connector subscribes to (DESIGN §1): invoices, credit notes, purchase changes and supplier changes. */
export const requiredCin7WebhookTypes = [
  'Purchase/InvoiceAuthorised',
  'Purchase/CreditNoteAuthorised',
  'Purchase/Updated',
  'Supplier/Updated',
] as const;

export interface WebhookSecret {
  reveal(): string;
}

export interface Cin7WebhookOptions {
  /** `${PUBLIC_BASE_URL}/api/webhooks/cin7`. */
  webhookUrl: string;
  secret: WebhookSecret;
}

export type Cin7WebhookAction = 'created' | 'reactivated' | 'ok';

export interface Cin7WebhookReport {
  type: string;
  webhookId: string;
  action: Cin7WebhookAction;
}

type WebhookDeps = Pick<SyncDeps, 'cin7' | 'stores' | 'clock' | 'logger' | 'telemetry'>;

/** The URL a webhook must point at to be ours: the function's route, ignoring case and a trailing slash. */
export function cin7WebhookUrl(publicBaseUrl: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/api/webhooks/cin7`;
}

function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();
}

function inputFor(type: string, options: Cin7WebhookOptions, id?: string): Cin7WebhookInput {
  return {
    ...(id !== undefined ? { ID: id } : {}),
    Type: type,
    IsActive: true,
    ExternalURL: options.webhookUrl,
    ExternalAuthorizationType: 'noauth',
    ExternalHeaders: [{ Key: cin7WebhookSecretHeader, Value: options.secret.reveal() }],
  };
}

async function record(
  deps: WebhookDeps,
  type: string,
  hook: Cin7Webhook,
  action: Cin7WebhookAction,
  previous?: SubscriptionRecord,
): Promise<void> {
  const at = new Date(deps.clock.now()).toISOString();
  await deps.stores.subscriptions.upsert({
    resource: `cin7:${type}`,
    subscriptionId: hook.ID,
    // Cin7 webhooks do not expire; only BC subscriptions do.
    expirationDateTime: '',
    notificationUrl: hook.ExternalURL,
    ...(action === 'ok'
      ? previous?.lastRenewedAt
        ? { lastRenewedAt: previous.lastRenewedAt }
        : {}
      : { lastRenewedAt: at }),
    lastAction: `${action} at ${at}`,
  });
}

/**
 * Makes every required webhook exist and be active. Each type is looked up by type and URL first, so a
 * second run creates nothing. An inactive one is re-activated with a PUT (credentials sent again).
 */
async function ensure(
  deps: WebhookDeps,
  options: Cin7WebhookOptions,
  mode: 'setup' | 'check',
): Promise<Cin7WebhookReport[]> {
  // reference/cin7-core-api.md §7.1: GET /webhooks (not paged).
  const existing = await deps.cin7.listWebhooks();
  const reports: Cin7WebhookReport[] = [];
  for (const type of requiredCin7WebhookTypes) {
    const previous = (await deps.stores.subscriptions.get(`cin7:${type}`))?.value;
    const ours = existing.filter((w) => w.Type === type && sameUrl(w.ExternalURL, options.webhookUrl));
    const active = ours.find((w) => w.IsActive);
    let hook: Cin7Webhook;
    let action: Cin7WebhookAction;
    if (active) {
      hook = active;
      action = 'ok';
    } else if (ours[0]) {
      // §7.4: Cin7 deactivates after 6 failed deliveries without notice; PUT IsActive with the secret again.
      hook = await deps.cin7.updateWebhook({ ...inputFor(type, options, ours[0].ID), ID: ours[0].ID });
      action = 'reactivated';
      deps.telemetry.event('cin7.webhook.reactivated', { type, webhookId: hook.ID });
      deps.logger.warn(
        `Cin7 webhook ${type} was inactive (Cin7 switches a webhook off after 6 failed deliveries) ` +
          'and was re-activated; the next poll covers the gap',
        { type },
      );
    } else {
      // §7.1: POST /webhooks; not retried blindly (a duplicate would deliver twice), and the next run finds it.
      hook = await deps.cin7.createWebhook(inputFor(type, options));
      action = 'created';
      if (mode === 'check') deps.logger.warn(`Cin7 webhook ${type} was missing and was created again`, { type });
    }
    await record(deps, type, hook, action, previous);
    reports.push({ type, webhookId: hook.ID, action });
  }
  return reports;
}

/** The setup use case (CLI, deployment): registers the webhooks without duplicates. */
export function setupCin7Webhooks(deps: WebhookDeps, options: Cin7WebhookOptions): Promise<Cin7WebhookReport[]> {
  return ensure(deps, options, 'setup');
}

/** The timer's use case: re-activates webhooks Cin7 switched off, re-creates missing ones, and reports. */
export function checkCin7Webhooks(deps: WebhookDeps, options: Cin7WebhookOptions): Promise<Cin7WebhookReport[]> {
  return ensure(deps, options, 'check');
}
