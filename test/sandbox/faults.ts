/**
 * Fault injection and request accounting shared by the Cin7, BC and token simulators.
 *
 * A test (or the chaos suite, or the benchmark) adds rules; each simulator asks `decide()` before it handles
 * a request and records every request with `record()`. Randomness is seeded so a failing run can be
 * repeated exactly.
 */

export type SimulatedSystem = 'cin7' | 'bc' | 'token';

export type FaultKind =
  /** 429 (or, for Cin7, 429 or 503 at random) with a Retry-After header. */
  | 'throttle'
  /** The same without Retry-After. */
  | 'throttle-no-retry-after'
  /** 500 (or `status`) with the system's error shape. */
  | 'server-error'
  /** The socket is destroyed before the request is handled: nothing happened. */
  | 'drop-connection'
  /** The request is handled (and committed), then the socket is destroyed: the caller cannot know. */
  | 'lost-response'
  /** Delay before handling. */
  | 'latency'
  /** Cin7 only: HTTP 200 with an `{ErrorCode, Exception}` body. */
  | 'error-body-200'
  /** Cin7 only: HTTP 200 with an HTML "page not found" body. */
  | 'html-200';

export interface FaultRule {
  system?: SimulatedSystem;
  method?: string;
  /** Matches the path (without query string). A string must be contained; a RegExp must match. */
  path?: string | RegExp;
  kind: FaultKind;
  /** Chance in [0, 1] that a matching request gets the fault. Default 1. */
  probability?: number;
  /** How many times the rule fires before it is used up. Default unlimited. */
  times?: number;
  latencyMs?: number;
  retryAfterSeconds?: number;
  status?: number;
}

export interface RequestRecord {
  system: SimulatedSystem;
  method: string;
  path: string;
  status: number;
  fault?: FaultKind;
  at: number;
}

/** mulberry32: tiny, fast, good enough for test randomness, and seedable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ActiveRule extends FaultRule {
  remaining: number;
}

export class FaultControl {
  readonly requests: RequestRecord[] = [];
  private rules: ActiveRule[] = [];
  readonly random: () => number;

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  add(rule: FaultRule): this {
    this.rules.push({ ...rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
    return this;
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault to apply to this request, if any. Consumes one use of the rule that fires. */
  decide(system: SimulatedSystem, method: string, path: string): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.remaining <= 0) continue;
      if (rule.system !== undefined && rule.system !== system) continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.path !== undefined) {
        const matches = typeof rule.path === 'string' ? path.includes(rule.path) : rule.path.test(path);
        if (!matches) continue;
      }
      if (this.random() >= (rule.probability ?? 1)) continue;
      rule.remaining -= 1;
      return rule;
    }
    return undefined;
  }

  record(entry: Omit<RequestRecord, 'at'>): void {
    this.requests.push({ ...entry, at: Date.now() });
  }

  /** Requests seen, optionally narrowed by system, method and a path test. */
  count(filter: { system?: SimulatedSystem; method?: string; path?: string | RegExp; status?: number } = {}): number {
    return this.requests.filter(
      (r) =>
        (filter.system === undefined || r.system === filter.system) &&
        (filter.method === undefined || r.method.toUpperCase() === filter.method.toUpperCase()) &&
        (filter.status === undefined || r.status === filter.status) &&
        (filter.path === undefined ||
          (typeof filter.path === 'string' ? r.path.includes(filter.path) : filter.path.test(r.path))),
    ).length;
  }

  resetCounts(): void {
    this.requests.length = 0;
  }
}
