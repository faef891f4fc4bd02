/**
 * Logging and Application Insights contracts (`src/telemetry` implements them).
 */

export interface Logger {
  info(message: string, properties?: Record<string, unknown>): void;
  warn(message: string, properties?: Record<string, unknown>): void;
  error(message: string, properties?: Record<string, unknown>): void;
}

/**
 * One outgoing HTTP attempt to Cin7 or BC (retries and throttled answers included), for Application
 * Insights' dependency view. Nothing here may carry a secret: no URL path or query string, no header, no body.
 */
export interface DependencyCall {
  system: 'cin7' | 'bc';
  /**
   * What was called, without ids or query: a Cin7 endpoint (`advanced-purchase`) or a BC client method
   * (`findPurchaseInvoices`).
   */
  operation: string;
  method: string;
  /** Host (and port) only. */
  target: string;
  durationMs: number;
  /** HTTP status; 0 for a network error (no answer). */
  status: number;
  success: boolean;
}

/** Custom events, metrics and HTTP dependencies for Application Insights (no-op locally). */
export interface Telemetry {
  event(name: string, properties: Record<string, string>): void;
  metric(name: string, value: number, properties?: Record<string, string>): void;
  dependency(call: DependencyCall): void;
}
