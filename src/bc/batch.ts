/**
 * Posting a purchase invoice and reading it back in ONE request: a JSON `$batch` of the `Microsoft.NAV.post`
 * action followed by a GET of the invoice, run in order (reference/bc-api.md §1.4, §3.3).
 */
import { parseRetryAfterMs } from '../http/backoff.js';
import type { Clock } from '../core/clock.js';
import { ValidationError } from '../core/errors.js';
import { classifyBcResponse } from './classify.js';
import { parseEntity, parseJson } from './parse.js';
import { BcBatchResponse } from './schemas.js';
import type { BcAnswer, BcRequest } from './transport.js';

type BatchOperationAnswer = BcBatchResponse['responses'][number];

export interface PostAndRead {
  request: BcRequest;
  /** The answer of the GET inside the batch, when there was one. */
  readAnswer(answer: BcAnswer): BatchOperationAnswer | undefined;
}

/**
 * The batch request. A failed post inside a 200 batch is thrown as its own classified error (`check`), so the
 * one retry decision applies: resent only when BC proves the post did not run (a 429 of the batch or of the
 * post operation); any other failure may have posted, and the caller reads the invoice first (DESIGN §3.1).
 */
export function postAndReadBatch(options: {
  batchUrl: string;
  /** The invoice's URL relative to the API root (inner URLs of a JSON batch are, reference §1.4). */
  invoicePath: string;
  operation: string;
  /** The dependency name telemetry reports (the client method). */
  dependencyName?: string;
  clock: Pick<Clock, 'now'>;
}): PostAndRead {
  const { operation, invoicePath } = options;
  const read = (answer: BcAnswer): { post: BatchOperationAnswer; read: BatchOperationAnswer | undefined } => {
    const batch = parseEntity(BcBatchResponse, parseJson(answer.text, operation), 'batch response', operation);
    const post = batch.responses.find((r) => r.id === 'post');
    if (post === undefined)
      throw new ValidationError(`BC ${operation}: the batch response has no answer for the post`, { system: 'bc' });
    return { post, read: batch.responses.find((r) => r.id === 'read') };
  };
  const check = (answer: BcAnswer): void => {
    const { post } = read(answer);
    if (post.status >= 200 && post.status < 300) return;
    const retryAfter = Object.entries(post.headers).find(([name]) => name.toLowerCase() === 'retry-after')?.[1];
    throw classifyBcResponse({
      operation,
      status: post.status,
      body: post.body === undefined ? '' : JSON.stringify(post.body),
      retryAfterMs: parseRetryAfterMs(retryAfter, options.clock.now()),
    });
  };
  return {
    request: {
      method: 'POST',
      url: options.batchUrl,
      operation,
      dependencyName: options.dependencyName ?? 'postPurchaseInvoiceAndRead',
      retry: 'unprocessed-only',
      body: {
        requests: [
          {
            method: 'POST',
            id: 'post',
            url: `${invoicePath}/Microsoft.NAV.post`,
            headers: { 'Content-Type': 'application/json' },
          },
          { method: 'GET', id: 'read', url: invoicePath, headers: {} },
        ],
      },
      check,
    },
    readAnswer: (answer) => read(answer).read,
  };
}
