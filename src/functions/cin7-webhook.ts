/**
 * HTTP trigger for Cin7 webhooks: authenticate, parse, enqueue, answer 202 (DESIGN §3.8, §4). Nothing is
 * enqueued for a request that fails any check, and no business rule lives here.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { acceptDelivery, badRequest, readJsonBody, retryLater, type WebhookDeps } from './http-io.js';
import type { Secret } from '../config/secret.js';
import { parseCin7WebhookEvent } from '../cin7/webhook-payloads.js';
import { acceptCin7Event } from '../sync/jobs/intake.js';
import { appWebhookDeps } from './app-runtime.js';
import { presentsSecret } from './webhook-auth.js';

export interface Cin7WebhookDeps extends WebhookDeps {
  getWebhookSecret(): Promise<Secret>;
}

export function createCin7WebhookHandler(deps: Cin7WebhookDeps) {
  return async function cin7Webhook(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const logger = deps.logger(context);
    let secret;
    try {
      secret = await deps.getWebhookSecret();
    } catch (error) {
      // Key Vault down or throttling is ours and passes: 503, like every internal failure, so Cin7 delivers again.
      return retryLater(logger, 'Cin7 webhook secret could not be read; Cin7 will retry', error, context);
    }
    if (!presentsSecret(request.headers, secret.reveal())) {
      logger.warn('Cin7 webhook rejected: missing or wrong credentials', { invocationId: context.invocationId });
      return {
        status: 401,
        headers: { 'WWW-Authenticate': 'Basic realm="cin7-webhook", Bearer' },
        jsonBody: { error: 'unauthorized' },
      };
    }
    const read = await readJsonBody(request, deps.maxBodyBytes);
    if (!read.ok) return read.response;
    const body = read.body;
    const parsed = parseCin7WebhookEvent(body);
    if (!parsed.ok) {
      logger.warn(`Cin7 webhook rejected: ${parsed.problem}`, { invocationId: context.invocationId });
      return badRequest([parsed.problem]);
    }
    const messages = {
      accepted: `${parsed.event.eventType} accepted`,
      // 503 makes Cin7 deliver again later; nothing was enqueued that needs undoing.
      failed: 'Cin7 webhook could not be enqueued; Cin7 will retry',
    };
    return acceptDelivery(logger, context, messages, async () => {
      const queue = await deps.getQueue();
      const enqueued = await acceptCin7Event(parsed.event, { queue, clock: deps.clock });
      return { enqueued, answer: { accepted: enqueued.length } };
    });
  };
}

/** Registered by src/main.ts as `cin7-webhook`. */
export const cin7Webhook = createCin7WebhookHandler(appWebhookDeps);
