/**
 * HTTP trigger BC calls for subscriptions on `vendors` and `items` (DESIGN §4 BC subscriptions,
 * reference/bc-api.md §6.2-6.3): answers the `validationToken` handshake with 200 and the token as text,
 * parses the body, and hands the notifications to `acceptBcNotifications`, which checks `clientState` and
 * enqueues one job per entity. Answers 202 fast; 503 on an internal error, because BC retries 408/429/5xx
 * but DELETES the subscription on any other non-2xx. Malformed input gets a 4xx and enqueues nothing (I8).
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { acceptDelivery, badRequest, readJsonBody, type WebhookDeps } from './http-io.js';
import { describeIssues } from '../core/zod-issues.js';
import { BcNotificationBody } from '../bc/schemas.js';
import type { Secret } from '../config/secret.js';
import { acceptBcNotifications } from '../sync/subscriptions/bc-subscriptions.js';
import { appWebhookDeps } from './app-runtime.js';

export interface BcNotificationDeps extends WebhookDeps {
  getClientState(): Promise<Secret>;
  /** `BC_COMPANY_ID`: notifications about another company are ignored. */
  companyId: string;
}

/** A validation token longer than this is not BC's (it sends a GUID-sized value). */
const maxTokenLength = 1024;

export function createBcNotificationHandler(deps: BcNotificationDeps) {
  return async function bcNotification(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const logger = deps.logger(context);
    const token = request.query.get('validationToken');
    if (token !== null) {
      // reference §6.2: the handshake on create and renew; 200 with the token as the body.
      if (token.length === 0 || token.length > maxTokenLength)
        return badRequest(['validationToken: is empty or too long']);
      return {
        status: 200,
        headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
        body: token,
      };
    }

    const read = await readJsonBody(request, deps.maxBodyBytes);
    if (!read.ok) return read.response;
    const body = read.body;
    const parsed = BcNotificationBody.safeParse(body);
    if (!parsed.success) {
      const problems = describeIssues(parsed.error, { under: 'body', limit: 10 });
      logger.warn(`BC notification rejected: ${problems.join('; ')}`, { invocationId: context.invocationId });
      return badRequest(problems);
    }

    const messages = {
      accepted: 'BC notification accepted',
      // 503, never another error status: BC deletes a subscription whose endpoint answers 4xx.
      failed: 'BC notification could not be enqueued; BC will retry',
    };
    return acceptDelivery(logger, context, messages, async () => {
      const [clientState, queue] = await Promise.all([deps.getClientState(), deps.getQueue()]);
      const result = await acceptBcNotifications(
        parsed.data.value,
        { queue, clock: deps.clock, logger },
        { clientState, companyId: deps.companyId, correlationId: context.invocationId },
      );
      return {
        enqueued: result.enqueued,
        answer: { accepted: result.enqueued.length, ignored: result.ignored + result.rejected },
      };
    });
  };
}

/** Registered by src/main.ts as `bc-notification`. */
export const bcNotification = createBcNotificationHandler(appWebhookDeps);
