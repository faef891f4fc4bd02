/** Issue 11 item 9, BC side: `@odata.nextLink` paging ends with an error instead of looping on a link that repeats. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { collect, createBcReader } from '../../src/bc/reads.js';
import type { BcRequest, BcSend } from '../../src/bc/transport.js';
import { ValidationError } from '../../src/core/errors.js';

const origin = 'https://api.businesscentral.dynamics.com';
const base = `${origin}/v2.0/t/sandbox/api/v2.0/companies(c)/vendors`;

/** A BC that answers each request with the next scripted page (the last one again once the script runs out). */
function scriptedBc(pages: Array<{ ids: string[]; next?: string }>): { send: BcSend; urls: string[] } {
  const urls: string[] = [];
  const send: BcSend = (req: BcRequest) => {
    urls.push(req.url);
    const page = pages[Math.min(urls.length, pages.length) - 1] ?? { ids: [] };
    const body = { value: page.ids.map((id) => ({ id })), ...(page.next ? { '@odata.nextLink': page.next } : {}) };
    return Promise.resolve({ status: 200, text: JSON.stringify(body) });
  };
  return { send, urls };
}

const list = (send: BcSend) =>
  collect(createBcReader(send, origin, 2).listAll(z.object({ id: z.string() }), 'vendor', base, 'listVendors'));

describe('BC list paging bounds', () => {
  it('when the next link points back at the page just read, then the listing fails after one request naming the operation', async () => {
    // Arrange
    const bc = scriptedBc([{ ids: ['a', 'b'], next: base }]);

    // Act
    const error = await list(bc.send).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(
      /^BC listVendors: the vendor listing's next link linked back to a page already read/,
    );
    expect(bc.urls).toHaveLength(1);
  });

  it('when a new next link brings the same rows again, then the listing fails instead of reading on', async () => {
    // Arrange
    const bc = scriptedBc([
      { ids: ['a', 'b'], next: `${base}?$skiptoken=1` },
      { ids: ['a', 'b'], next: `${base}?$skiptoken=2` },
    ]);

    // Act
    const error = await list(bc.send).catch((e: unknown) => e);

    // Assert
    expect((error as Error).message).toMatch(/next link repeated the page before/);
    expect(bc.urls).toHaveLength(2);
  });

  it('when the next links lead to new pages, then every row is listed', async () => {
    // Arrange
    const bc = scriptedBc([{ ids: ['a', 'b'], next: `${base}?$skiptoken=b` }, { ids: ['c'] }]);

    // Act
    const rows = await list(bc.send);

    // Assert
    expect(rows.map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });
});
