/** Turns zod results into the admin surfaces' answer: the value, or every problem as one line each. */
import type { z } from 'zod';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

export function describeIssues(error: z.ZodError, root = 'body'): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return `${path === '' ? root : path}: ${issue.message}`;
  });
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, root?: string): Parsed<z.infer<S>> {
  const result = schema.safeParse(value);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, problems: describeIssues(result.error, root) };
}
