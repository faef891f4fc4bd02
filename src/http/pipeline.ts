/**
 * The pieces the Cin7 and BC transports share: a step in the shape of the Azure SDK pipeline's policies
 * (STYLE anchor 1), the rate-limit step, the chain that runs the steps in order, and the dependency
 * telemetry call that must never fail a request.
 */
import type { DependencyCall } from '../core/ports/telemetry.js';
import type { RateLimiter } from './rate-limiter.js';

export type Send<Req, Res> = (req: Req) => Promise<Res>;

export interface Step<Req, Res> {
  name: string;
  send(req: Req, next: Send<Req, Res>): Promise<Res>;
}

/** Each attempt waits for a slot of the limiter and gives it back when the answer (or failure) is in. */
export function limitStep<Req, Res>(limiter: RateLimiter): Step<Req, Res> {
  return {
    name: 'limit',
    async send(req, next) {
      const release = await limiter.acquire();
      try {
        return await next(req);
      } finally {
        release();
      }
    },
  };
}

/** Runs `steps` first to last, then `terminal`. */
export function chain<Req, Res>(steps: ReadonlyArray<Step<Req, Res>>, terminal: Send<Req, Res>): Send<Req, Res> {
  return steps.reduceRight<Send<Req, Res>>((next, step) => (req) => step.send(req, next), terminal);
}

/** Hands one attempt's record to `onRequest`; telemetry must never fail a call. */
export function reportDependencyCall(
  onRequest: ((call: DependencyCall) => void) | undefined,
  call: DependencyCall,
): void {
  if (onRequest === undefined) return;
  try {
    onRequest(call);
  } catch {
    // Swallowed on purpose: a broken telemetry sink must not turn a good answer into a failure.
  }
}
