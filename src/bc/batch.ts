/**
 * Several BC operations in ONE request, as a JSON `$batch` run in order (reference/bc-api.md §1.4): posting a
 * purchase document and reading it back (§3.3), and plain reads that one decision needs together.
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
    const answers = parseAnswers(answer, operation);
    return { post: required(answers, 'post', operation), read: answers.get('read') };
  };
  const check = (answer: BcAnswer): void => {
    const { post } = read(answer);
    if (!succeeded(post)) throw failureOf(post, operation, options.clock);
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

export interface ReadBatch {
  request: BcRequest;
  /** Each read's answer by its id; a read that `mayBeAbsent` may come back 404. */
  answers(answer: BcAnswer): Map<string, BatchOperationAnswer>;
}

/**
 * GETs in one request. Reads repeat safely, so a failed read (a 429, a 5xx) fails the whole batch with its own
 * classified error and the transport's retry decision sends the batch again.
 */
export function readBatch(options: {
  batchUrl: string;
  /** Each read's URL relative to the API root, with its query; `mayBeAbsent`: a 404 is an answer, not a failure. */
  reads: ReadonlyArray<{ id: string; path: string; mayBeAbsent?: boolean }>;
  operation: string;
  dependencyName: string;
  clock: Pick<Clock, 'now'>;
}): ReadBatch {
  const { operation } = options;
  const answers = (answer: BcAnswer): Map<string, BatchOperationAnswer> => {
    const byId = parseAnswers(answer, operation);
    for (const { id } of options.reads) required(byId, id, operation);
    return byId;
  };
  const check = (answer: BcAnswer): void => {
    const byId = answers(answer);
    for (const { id, mayBeAbsent } of options.reads) {
      const read = required(byId, id, operation);
      if (!succeeded(read) && !(mayBeAbsent === true && read.status === 404)) {
        throw failureOf(read, operation, options.clock);
      }
    }
  };
  return {
    request: {
      method: 'POST',
      url: options.batchUrl,
      operation,
      dependencyName: options.dependencyName,
      retry: 'idempotent',
      body: { requests: options.reads.map(({ id, path }) => ({ method: 'GET', id, url: path, headers: {} })) },
      check,
    },
    answers,
  };
}

export function succeeded(answer: BatchOperationAnswer): boolean {
  return answer.status >= 200 && answer.status < 300;
}

function parseAnswers(answer: BcAnswer, operation: string): Map<string, BatchOperationAnswer> {
  const batch = parseEntity(BcBatchResponse, parseJson(answer.text, operation), 'batch response', operation);
  return new Map(batch.responses.map((r) => [r.id, r]));
}

function required(answers: Map<string, BatchOperationAnswer>, id: string, operation: string): BatchOperationAnswer {
  const found = answers.get(id);
  if (found === undefined) {
    throw new ValidationError(`BC ${operation}: the batch response has no answer for '${id}'`, { system: 'bc' });
  }
  return found;
}

/** The classified error an operation's failed answer inside a 200 batch stands for. */
function failureOf(answer: BatchOperationAnswer, operation: string, clock: Pick<Clock, 'now'>): Error {
  const retryAfter = Object.entries(answer.headers).find(([name]) => name.toLowerCase() === 'retry-after')?.[1];
  return classifyBcResponse({
    operation,
    status: answer.status,
    body: answer.body === undefined ? '' : JSON.stringify(answer.body),
    retryAfterMs: parseRetryAfterMs(retryAfter, clock.now()),
  });
}
