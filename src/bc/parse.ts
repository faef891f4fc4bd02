/** Reading BC's JSON answers with zod; a mismatch names the operation, the record and the field. */
import type { z } from 'zod';
import { ValidationError } from '../core/errors.js';
import { describeIssues } from '../core/zod-issues.js';

export function parseJson(text: string, operation: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError(`BC ${operation}: the response is not JSON`, { system: 'bc' });
  }
}

export function parseEntity<S extends z.ZodType>(
  schema: S,
  value: unknown,
  entity: string,
  operation: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const key: unknown =
    typeof value === 'object' && value !== null
      ? (('id' in value ? value.id : undefined) ?? ('subscriptionId' in value ? value.subscriptionId : undefined))
      : undefined;
  // Only a string key is named: a malformed one (an object, a list) would print as '[object Object]'.
  const id = typeof key === 'string' && key !== '' ? key.slice(0, 40) : '?';
  const problem = describeIssues(result.error, { limit: 1 }).join('; ');
  throw new ValidationError(`BC ${operation}: ${entity} ${id} does not have the expected shape: ${problem}`, {
    system: 'bc',
  });
}
