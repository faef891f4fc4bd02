/**
 * The BC transport: a fixed chain of small steps in the shape of the Azure SDK pipeline (STYLE anchor 1) and
 * of the Cin7 transport,
 *
 *   retry → limit (6,000 / 5 min, 5 at once) → auth (a 401 refreshes the token once) → classify → undici
 *
 * Everything one request learns (its status, its `Retry-After`) travels with that request: up to five run at
 * once, so nothing is kept between awaits. Tokens and URLs never reach an error or a telemetry record.
 */
import { request, type Dispatcher } from 'undici';
import { parseRetryAfterMs, type BackoffOptions } from '../http/backoff.js';
import type { RateLimiter } from '../http/rate-limiter.js';
import { chain, limitStep, reportDependencyCall, type Send, type Step as PipelineStep } from '../http/pipeline.js';
import type { Clock } from '../core/clock.js';
import { ThrottledError, isConnectorError, type ConnectorError } from '../core/errors.js';
import type { DependencyCall } from '../core/ports/telemetry.js';
import { classifyBcNetworkError, classifyBcResponse } from './classify.js';
import { decideRetry, type RetryPolicy } from './retry.js';
import type { TokenProvider } from './token-provider.js';

export interface BcRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  /** For messages: the method and the record (`getVendor <id>`). */
  operation: string;
  /** For dependency telemetry when it differs from the first word of `operation`. */
  dependencyName?: string;
  retry: RetryPolicy;
  body?: unknown;
  ifMatch?: string;
  prefer?: string;
  /**
   * Throws the classified failure that a 2xx answer carries inside (an operation of a `$batch`), so that it
   * meets the same retry decision as a failed request.
   */
  check?: (answer: BcAnswer) => void;
  /** Set by the auth step; never copied into errors. */
  token?: string;
}

/** A 2xx answer. */
export interface BcAnswer {
  status: number;
  text: string;
}

export type BcSend = Send<BcRequest, BcAnswer>;

type Step = PipelineStep<BcRequest, BcAnswer>;

export interface BcThrottleInfo {
  operation: string;
  /** HTTP status that asked us to slow down (429, 503, 504). */
  status: number;
  /** What BC's `Retry-After` said, when it was present. */
  retryAfterMs: number | undefined;
  /** The wait chosen before the next attempt. */
  delayMs: number;
  /** 1 for the first retry. */
  attempt: number;
}

export interface BcTransportOptions {
  tokens: TokenProvider;
  limiter: RateLimiter;
  clock: Clock;
  /** The API host, the only target telemetry names. */
  apiHost: string;
  maxRetries: number;
  maxRetryWaitMs: number;
  backoff: BackoffOptions;
  requestTimeoutMs: number;
  dispatcher?: Dispatcher | undefined;
  onThrottle?: ((info: BcThrottleInfo) => void) | undefined;
  onRequest?: ((call: DependencyCall) => void) | undefined;
}

function retryStep(options: BcTransportOptions): Step {
  const { clock, limiter, onThrottle } = options;
  const limits = { maxRetries: options.maxRetries, maxTotalWaitMs: options.maxRetryWaitMs, backoff: options.backoff };
  return {
    name: 'retry',
    async send(req, next) {
      let waitedMs = 0;
      for (let attempt = 0; ; attempt += 1) {
        try {
          return await next(req);
        } catch (error) {
          const decision = decideRetry({
            attempt,
            error,
            policy: req.retry,
            waitedMs,
            limits,
            random: () => clock.random(),
          });
          if (!decision.retry) throw error;
          waitedMs += decision.waitMs;
          if (error instanceof ThrottledError) {
            // One throttle slows every caller of the process, not just this one (rate-limiter.ts).
            limiter.pauseUntil(clock.now() + decision.waitMs);
            onThrottle?.({
              operation: req.operation,
              status: error.status ?? 0,
              retryAfterMs: error.retryAfterMs,
              delayMs: decision.waitMs,
              attempt: attempt + 1,
            });
          }
          await clock.sleep(decision.waitMs);
        }
      }
    },
  };
}

/** A 401 means BC did not run the request: one fresh token, one repeat. */
function authStep(tokens: TokenProvider): Step {
  const isRejectedToken = (error: unknown): error is ConnectorError =>
    isConnectorError(error) && error.system === 'bc' && error.status === 401;
  return {
    name: 'auth',
    async send(req, next) {
      const token = await tokens.getToken();
      try {
        return await next({ ...req, token });
      } catch (error) {
        if (!isRejectedToken(error)) throw error;
        return next({ ...req, token: await tokens.getToken({ rejectedToken: token }) });
      }
    },
  };
}

/** Sends one request with a timeout, reports it, and turns anything but a 2xx into our errors. */
function classifiedHttp(options: BcTransportOptions): BcSend {
  const { clock, onRequest } = options;
  /** One record per attempt: the operation without its record ids, the host without any path. */
  const report = (req: BcRequest, startedAt: number, status: number): void =>
    reportDependencyCall(onRequest, {
      system: 'bc',
      operation: req.dependencyName ?? req.operation.split(' ')[0] ?? '',
      method: req.method,
      target: options.apiHost,
      durationMs: Math.max(0, clock.now() - startedAt),
      status,
      success: status >= 200 && status < 300,
    });
  return async (req) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${req.token ?? ''}`, Accept: 'application/json' };
    if (req.body !== undefined) headers['Content-Type'] = 'application/json';
    if (req.ifMatch !== undefined) headers['If-Match'] = req.ifMatch;
    if (req.prefer !== undefined) headers.Prefer = req.prefer;
    const startedAt = clock.now();
    let status: number;
    let text: string;
    let retryAfter: string | string[] | undefined;
    try {
      const response = await request(req.url, {
        method: req.method,
        headers,
        ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
        ...(options.dispatcher !== undefined ? { dispatcher: options.dispatcher } : {}),
        signal: AbortSignal.timeout(options.requestTimeoutMs),
      });
      text = await response.body.text();
      status = response.statusCode;
      retryAfter = response.headers['retry-after'];
    } catch (error) {
      report(req, startedAt, 0);
      throw classifyBcNetworkError(req.operation, error);
    }
    report(req, startedAt, status);
    if (status < 200 || status >= 300) {
      throw classifyBcResponse({
        operation: req.operation,
        status,
        body: text,
        retryAfterMs: parseRetryAfterMs(typeof retryAfter === 'string' ? retryAfter : undefined, clock.now()),
        conditional: req.ifMatch !== undefined,
      });
    }
    const answer = { status, text };
    req.check?.(answer);
    return answer;
  };
}

/** Builds the chain; `send` runs one request through it and returns its 2xx answer or throws our error. */
export function createBcTransport(options: BcTransportOptions): { send: BcSend } {
  const steps: Step[] = [retryStep(options), limitStep(options.limiter), authStep(options.tokens)];
  return { send: chain(steps, classifiedHttp(options)) };
}
