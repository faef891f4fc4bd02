/**
 * The Cin7 transport: a fixed chain of small steps in the shape of the Azure SDK pipeline (STYLE anchor 1),
 *
 *   retry → re-read on refusal → limit → auth → classify → undici request
 *   (undici over a keep-alive Agent, one pool per origin)
 *
 * Retry and the re-read sit outside the limiter on purpose: every attempt, a resend with re-read credentials
 * included, is a request Cin7 counts, so each one takes its own slot of the 60-per-minute budget. The
 * credentials are added after the limiter's wait, so a request never goes out with a key replaced meanwhile.
 */
import { Agent, request, type Dispatcher } from 'undici';
import { retryDelayMs, type BackoffOptions } from '../http/backoff.js';
import type { RateLimiter } from '../http/rate-limiter.js';
import { chain, limitStep, reportDependencyCall, type Send, type Step as PipelineStep } from '../http/pipeline.js';
import type { Clock } from '../core/clock.js';
import { ThrottledError, isConnectorError, type ConnectorError } from '../core/errors.js';
import type { DependencyCall } from '../core/ports/telemetry.js';
import { classifyCin7NetworkError, classifyCin7Response, type Cin7HttpResponse } from './classify.js';
import { isRetryableCin7Failure } from './retry.js';

export type Cin7Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Cin7Request {
  method: Cin7Method;
  /** Endpoint relative to the base URL, e.g. `advanced-purchase`. */
  endpoint: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** For messages: what the call is about (`purchase 78f6…`). */
  record?: string;
  /** Set by the auth step; never copied into errors. */
  headers?: Record<string, string>;
}

/** The parsed JSON of a successful answer. */
export type Cin7Send = Send<Cin7Request, unknown>;

type Step = PipelineStep<Cin7Request, unknown>;

export interface Cin7ThrottleInfo {
  operation: string;
  /** HTTP status of the throttle answer (429 or 503, or 200 with an ErrorCode body). */
  status: number | undefined;
  /** What Cin7's `Retry-After` asked for, when it sent one. */
  retryAfterMs: number | undefined;
  /** How long this client (and, through the limiter, the whole process) now waits. */
  waitMs: number;
  /** 1 for the first retry. */
  attempt: number;
}

/** The two values Cin7 authenticates every request with (reference §1.1). */
export interface Cin7Credentials {
  accountId: string;
  applicationKey: string;
}

export interface Cin7TransportOptions {
  baseUrl: string;
  accountId: string;
  applicationKey: string;
  /**
   * Reads the credentials again from where they are kept, past any cache (Key Vault). Called once when Cin7
   * refuses them, since the key may have been rotated; without it a refusal is final.
   */
  rereadCredentials?: () => Promise<Cin7Credentials>;
  limiter: RateLimiter;
  clock: Clock;
  maxRetries: number;
  maxTotalWaitMs: number;
  backoff: BackoffOptions;
  requestTimeoutMs: number;
  dispatcher?: Dispatcher;
  onThrottle?: (info: Cin7ThrottleInfo) => void;
  /** Called once per HTTP attempt (retries and throttled answers included), for dependency telemetry. */
  onRequest?: (call: DependencyCall) => void;
}

export interface Cin7Transport {
  send: Cin7Send;
  close(): Promise<void>;
}

const operationOf = (req: Cin7Request): string => `${req.method} ${req.endpoint}`;

function retryStep(options: Cin7TransportOptions): Step {
  const { clock, limiter, maxRetries, maxTotalWaitMs, backoff, onThrottle } = options;
  return {
    name: 'retry',
    async send(req, next) {
      const idempotent = req.method === 'GET';
      let waitedMs = 0;
      for (let attempt = 0; ; attempt += 1) {
        try {
          return await next(req);
        } catch (error) {
          if (attempt >= maxRetries || !isRetryableCin7Failure(error, idempotent)) throw error;
          const throttled = error instanceof ThrottledError ? error : undefined;
          let waitMs = retryDelayMs(attempt, throttled?.retryAfterMs, backoff, () => clock.random());
          // Cin7 counts a sliding minute: retrying a throttle at once only burns another call.
          if (throttled && throttled.retryAfterMs === undefined) waitMs = Math.max(waitMs, backoff.baseMs);
          if (waitedMs + waitMs > maxTotalWaitMs) throw error;
          waitedMs += waitMs;
          if (throttled) {
            // One throttle slows every caller of the process, not just this one.
            limiter.pauseUntil(clock.now() + waitMs);
            onThrottle?.({
              operation: operationOf(req),
              status: (error as ConnectorError).status,
              retryAfterMs: throttled.retryAfterMs,
              waitMs,
              attempt: attempt + 1,
            });
          }
          await clock.sleep(waitMs);
        }
      }
    },
  };
}

/** Resends after a refusal only while re-reading yields new credentials, and never more often than this. */
const MAX_CREDENTIAL_RESENDS = 3;

/**
 * Two steps sharing the credentials. `auth` adds them to each attempt as it goes out (after the limiter).
 * `rereadOnRefusal` (outside the limiter): when Cin7 refuses them (401/403) and they can be re-read, they are
 * read once more and the request is sent again if they changed, so a key rotated in Key Vault is picked up by
 * the request that met the refusal instead of failing it. Credentials a re-read returns unchanged are simply
 * wrong: the refusal stands, and later refusals of them are not re-read again (after the job fails on auth,
 * the runtime rebuilds its clients from the vault anyway). Concurrent refusals share one re-read.
 */
function credentialSteps(options: Cin7TransportOptions): { rereadOnRefusal: Step; auth: Step } {
  const { rereadCredentials } = options;
  let current: Cin7Credentials = { accountId: options.accountId, applicationKey: options.applicationKey };
  let confirmedWrong: Cin7Credentials | undefined;
  let rereading: Promise<Cin7Credentials> | undefined;
  // The limit step hands `auth` the request object it was given, so the outer step can look up what was sent.
  const sentWith = new WeakMap<Cin7Request, Cin7Credentials>();

  const auth: Step = {
    name: 'auth',
    send(req, next) {
      const credentials = current;
      sentWith.set(req, credentials);
      // Reference §1.1: both headers on every request.
      return next({
        ...req,
        headers: {
          ...req.headers,
          'api-auth-accountid': credentials.accountId,
          'api-auth-applicationkey': credentials.applicationKey,
        },
      });
    },
  };

  async function rereadAfterRefusalOf(used: Cin7Credentials): Promise<void> {
    if (current !== used || rereadCredentials === undefined) return;
    rereading ??= rereadCredentials().finally(() => {
      rereading = undefined;
    });
    const fresh = await rereading;
    if (current !== used) return;
    if (fresh.accountId === used.accountId && fresh.applicationKey === used.applicationKey) confirmedWrong = used;
    else current = fresh;
  }

  const rereadOnRefusal: Step = {
    name: 'reread-on-refusal',
    async send(req, next) {
      for (let resends = 0; ; resends += 1) {
        const attempt = { ...req };
        try {
          return await next(attempt);
        } catch (error) {
          const used = sentWith.get(attempt);
          const refused = isConnectorError(error) && error.kind === 'auth';
          if (!refused || used === undefined || used === confirmedWrong || resends >= MAX_CREDENTIAL_RESENDS)
            throw error;
          await rereadAfterRefusalOf(used);
          if (current === used) throw error;
        }
      }
    },
  };
  return { rereadOnRefusal, auth };
}

function buildPath(baseUrl: URL, req: Cin7Request): string {
  const url = new URL(req.endpoint, baseUrl);
  for (const [key, value] of Object.entries(req.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

/** Sends one request and classifies the answer; the terminal of the chain. */
function classifiedHttp(options: Cin7TransportOptions, dispatcher: Dispatcher): Cin7Send {
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  const { clock, onRequest } = options;
  /** Host only: never the path, the query (which can hold ids and dates) or the auth headers. */
  const report = (req: Cin7Request, startedAt: number, status: number, success: boolean): void =>
    reportDependencyCall(onRequest, {
      system: 'cin7',
      operation: req.endpoint.split('?')[0] ?? '',
      method: req.method,
      target: base.host,
      durationMs: Math.max(0, clock.now() - startedAt),
      status,
      success,
    });
  return async (req) => {
    const context = { operation: operationOf(req), ...(req.record === undefined ? {} : { record: req.record }) };
    const startedAt = clock.now();
    let response: Cin7HttpResponse;
    try {
      const answer = await request(buildPath(base, req), {
        method: req.method,
        dispatcher,
        headers: {
          accept: 'application/json',
          ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...req.headers,
        },
        ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
        headersTimeout: options.requestTimeoutMs,
        bodyTimeout: options.requestTimeoutMs,
      });
      response = { status: answer.statusCode, headers: answer.headers, body: await answer.body.text() };
    } catch (error) {
      report(req, startedAt, 0, false);
      throw classifyCin7NetworkError(error, context);
    }
    try {
      const result = classifyCin7Response(response, { ...context, nowMs: clock.now() });
      report(req, startedAt, response.status, true);
      return result;
    } catch (error) {
      // Includes Cin7's error bodies and HTML pages sent with HTTP 200.
      report(req, startedAt, response.status, false);
      throw error;
    }
  };
}

/** Builds the chain. The `Agent` keeps connections alive per origin; `close()` ends it unless it was given. */
export function createCin7Transport(options: Cin7TransportOptions): Cin7Transport {
  const ownAgent =
    options.dispatcher === undefined ? new Agent({ keepAliveTimeout: 10_000, connections: 8 }) : undefined;
  const dispatcher: Dispatcher = options.dispatcher ?? ownAgent ?? new Agent();
  const credentials = credentialSteps(options);
  const steps: Step[] = [retryStep(options), credentials.rereadOnRefusal, limitStep(options.limiter), credentials.auth];
  return {
    send: chain(steps, classifiedHttp(options, dispatcher)),
    close: async () => {
      await ownAgent?.close();
    },
  };
}
