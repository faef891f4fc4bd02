import { ValidationError } from '../core/errors.js';
import type { ConnectorErrorOptions } from '../core/errors.js';

/** One missing or invalid setting (or secret): which one, what is wrong and what to do. */
export interface ConfigIssue {
  /** The app setting or Key Vault secret name, verbatim (DESIGN §5). */
  setting: string;
  /** What is wrong and what to do about it. Never contains a secret value. */
  problem: string;
}

/**
 * The configuration cannot work: settings are missing or invalid, or a secret is absent from Key Vault.
 * Retrying does not help; an operator must change a setting or a secret. `issues` lists every problem
 * found, so one start-up shows all of them (DESIGN §3.8).
 */
export class ConfigError extends ValidationError {
  readonly issues: readonly ConfigIssue[];

  constructor(
    message: string,
    issues: readonly ConfigIssue[] = [],
    options: Omit<ConnectorErrorOptions, 'system'> = {},
  ) {
    super(message, { ...options, system: 'config' });
    this.issues = issues;
    // `ValidationError` types `name` as the literal 'ValidationError', so a subclass cannot redeclare it;
    // the runtime name still says which error this is in logs and stack traces.
    Object.defineProperty(this, 'name', {
      value: 'ConfigError',
      configurable: true,
      enumerable: false,
      writable: false,
    });
  }

  /** One error whose message lists every issue, one per line. */
  static fromIssues(issues: readonly ConfigIssue[]): ConfigError {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    const lines = issues.map((issue) => `  - ${issue.setting}: ${issue.problem}`);
    return new ConfigError(`The app settings are not valid (${count}):\n${lines.join('\n')}`, issues);
  }
}

/** Whether `value` is a `ConfigError`. */
export function isConfigError(value: unknown): value is ConfigError {
  return value instanceof ConfigError;
}
