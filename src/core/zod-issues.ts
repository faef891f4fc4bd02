/**
 * The one way a failed zod parse becomes text, for every surface (queue messages, admin answers, webhooks,
 * API records, stored rows). Each line is `path: message`; zod's messages describe what was expected, not
 * the value received, so payload data (and any secret in it) stays out of logs and answers.
 */
import type { z } from 'zod';

export interface DescribeIssuesOptions {
  /** Put before every path, e.g. `envelope` → `envelope.job.type`. */
  under?: string;
  /** What an issue about the whole value is called when `under` is not given; `(root)` by default. */
  root?: string;
  /** At most this many lines, the rest counted in one more: a large payload must not make a large message. */
  limit?: number;
}

export function describeIssues(error: z.ZodError, options: DescribeIssuesOptions = {}): string[] {
  const { under, root = '(root)', limit = Number.POSITIVE_INFINITY } = options;
  const lines = error.issues.slice(0, limit).map((issue) => {
    const path = [under, ...issue.path.map(String)].filter((part) => part !== undefined && part !== '').join('.');
    return `${path === '' ? root : path}: ${issue.message}`;
  });
  const more = error.issues.length - lines.length;
  return more > 0 ? [...lines, `and ${more} more`] : lines;
}
