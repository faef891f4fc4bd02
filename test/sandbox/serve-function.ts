/**
 * Serves a Functions HTTP handler over real HTTP on 127.0.0.1, so a simulator (Cin7 webhooks, BC
 * notifications) calls the real function code the way the Functions host would hand it a request.
 */
import { randomUUID } from 'node:crypto';
// '@azure/functions' is CommonJS whose classes Node's ESM loader cannot name (see sandbox.ts).
import azureFunctions, { type HttpHandler } from '@azure/functions';
import type { DeliveryMeta } from '../../src/queue/memory-session-queue.js';
import { toServiceBusMessage } from '../../src/queue/service-bus-queue.js';
import type { JobEnvelope } from '../../src/core/ports/jobs.js';
import { readBody, startHttpServer, type StartedHttpServer } from './http-server.js';

const { HttpRequest, InvocationContext } = azureFunctions;

export function serveFunction(handler: HttpHandler, functionName: string): Promise<StartedHttpServer> {
  return startHttpServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[key] = value;
      const response = await handler(
        new HttpRequest({
          method: req.method ?? 'POST',
          url: `http://127.0.0.1${req.url ?? '/'}`,
          headers,
          body: { string: body },
        }),
        new InvocationContext({ invocationId: randomUUID(), functionName, logHandler: () => undefined }),
      );
      const plain = 'body' in response && typeof response.body === 'string';
      res.writeHead(response.status ?? 200, { 'content-type': plain ? 'text/plain' : 'application/json' });
      res.end(plain ? response.body : JSON.stringify('jsonBody' in response ? (response.jsonBody ?? {}) : {}));
    })().catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
}

/**
 * Hands a queued job to the Service Bus function exactly as the Functions host would: the message body and
 * `triggerMetadata` with the host's camelCased keys.
 */
export function invokeSyncJob(
  syncJob: (message: unknown, context: InstanceType<typeof InvocationContext>) => Promise<unknown>,
  envelope: JobEnvelope,
  meta: DeliveryMeta,
): Promise<unknown> {
  const message = toServiceBusMessage(envelope);
  return syncJob(
    message.body,
    new InvocationContext({
      invocationId: randomUUID(),
      functionName: 'sync-job',
      triggerMetadata: {
        messageId: meta.messageId,
        sessionId: meta.sessionId,
        deliveryCount: meta.deliveryCount,
        correlationId: message.correlationId,
        enqueuedTimeUtc: meta.enqueuedAt.toISOString(),
        applicationProperties: message.applicationProperties,
      },
      logHandler: () => undefined,
    }),
  );
}
