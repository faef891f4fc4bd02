import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeIssues } from '../../src/core/zod-issues.js';

const Job = z.object({ type: z.literal('bc-item'), itemId: z.string().min(1), attempt: z.number() });
const issuesOf = (value: unknown): z.ZodError => {
  const parsed = Job.safeParse(value);
  if (parsed.success) throw new Error('expected a failed parse');
  return parsed.error;
};

describe('describeIssues', () => {
  it('when fields are wrong, then one "path: message" line per issue, values not echoed', () => {
    const lines = describeIssues(issuesOf({ type: 'bc-item', itemId: '', attempt: 'secret-value' }));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^itemId: /);
    expect(lines[1]).toMatch(/^attempt: /);
    expect(lines.join(' ')).not.toContain('secret-value');
  });

  it('when a prefix is given, then every path starts with it', () => {
    expect(describeIssues(issuesOf({ type: 'bc-item', itemId: 'x' }), { under: 'envelope' })).toEqual([
      expect.stringMatching(/^envelope\.attempt: /),
    ]);
  });

  it('when the whole value is wrong, then the line names the root given', () => {
    expect(describeIssues(issuesOf('not an object'), { root: 'body' })).toEqual([expect.stringMatching(/^body: /)]);
    expect(describeIssues(issuesOf(null))).toEqual([expect.stringMatching(/^\(root\): /)]);
  });

  it('when there are more issues than the limit, then the rest are counted', () => {
    const lines = describeIssues(issuesOf({}), { limit: 1 });
    expect(lines).toEqual([expect.stringMatching(/^type: /), 'and 2 more']);
  });
});
