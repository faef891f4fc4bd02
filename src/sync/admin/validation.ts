/** Turns zod results into the admin surfaces' answer: the value, or every problem as one line each. */
import type { z } from 'zod';
import { describeIssues } from '../../core/zod-issues.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, root = 'body'): Parsed<z.infer<S>> {
  const result = schema.safeParse(value);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, problems: describeIssues(result.error, { root }) };
}
