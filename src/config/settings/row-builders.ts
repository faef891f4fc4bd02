/** Rows that several settings share the shape of, so each such setting is one call with its own words. */
import { integer, oneOf, secret } from './parsers.js';

/** An optional setting that names one of `values` (in any case); `fallback` applies when it is absent. */
export function choice<const T extends string>(fallback: NoInfer<T>, values: readonly T[], description: string) {
  return { required: 'no', default: fallback, description, parse: oneOf(values) } as const;
}

/** An optional whole number from `min` to `max`; `fallback` applies when it is absent. */
export function wholeNumber(fallback: number, [min, max]: readonly [number, number], description: string) {
  return { required: 'no', default: String(fallback), description, parse: integer(min, max) } as const;
}

/** A secret Key Vault holds in Azure: a setting only on a developer machine, and never echoed. */
export function keyVaultSecret(description: string) {
  return { required: 'local', secret: true, description, parse: secret } as const;
}
