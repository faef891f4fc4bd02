/**
 * Issue 11 item 9: Cin7 pagination never trusts `Total` alone. A local HTTP server stands in for a Cin7 (or a
 * proxy in front of it) that ignores `Page`: the walk must end with an error naming the endpoint instead of
 * reading the same page until the function times out.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCin7Client, createCin7Limiter, type Cin7Client } from '../../src/cin7/client.js';
import { ValidationError } from '../../src/core/errors.js';
import { accountId, applicationKey, collect, rejectionOf } from './harness.js';

interface PagingServer {
  client: Cin7Client;
  /** The `Page` query value of every request, in order. */
  pagesAsked: string[];
}

let server: Server | undefined;
let client: Cin7Client | undefined;
afterEach(async () => {
  await client?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  client = undefined;
});

/** Answers `purchaseList` with `answer(request number)`, whatever `Page` asks for. */
async function startPagingServer(answer: (request: number) => { Total: number; ids: string[] }): Promise<PagingServer> {
  const pagesAsked: string[] = [];
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    pagesAsked.push(url.searchParams.get('Page') ?? '');
    const { Total, ids } = answer(pagesAsked.length);
    const PurchaseList = ids.map((ID) => ({ ID, OrderNumber: `PO-${ID}`, Status: 'ORDERED' }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ Total, Page: 1, PurchaseList }));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = createCin7Client({
    baseUrl: `http://127.0.0.1:${port}/ExternalApi/v2/`,
    accountId,
    applicationKey,
    limiter: createCin7Limiter({ callsPerMinute: 10_000, windowMs: 1000 }),
    backoff: { baseMs: 10, maxMs: 100 },
    pageSize: 2,
  });
  return { client, pagesAsked };
}

describe('Cin7 paging bounds', () => {
  it('when Cin7 ignores Page and answers page 1 every time, then the listing fails naming purchaseList after two requests', async () => {
    // Arrange
    const sim = await startPagingServer(() => ({ Total: 10, ids: ['a', 'b'] }));

    // Act
    const error = await rejectionOf(collect(sim.client.listPurchases()));

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/^Cin7 GET purchaseList did not page: page 2 repeated page 1 /);
    expect(sim.pagesAsked).toEqual(['1', '2']);
  });

  it('when every page is new but Total keeps growing, then the walk stops after the first Total allows plus one page, with an error', async () => {
    // Arrange
    const sim = await startPagingServer((n) => ({ Total: 4 + 2 * n, ids: [`${n}a`, `${n}b`] }));

    // Act
    const error = await rejectionOf(collect(sim.client.listPurchases()));

    // Assert
    expect((error as Error).message).toMatch(
      /^Cin7 GET purchaseList did not page: Total still says 12 records after 4 pages of 2/,
    );
    expect(sim.pagesAsked).toEqual(['1', '2', '3', '4']);
  });

  it('when Total grows by one page while the pages are read, then every record is listed', async () => {
    // Arrange
    const sim = await startPagingServer((n) => ({ Total: n === 1 ? 4 : 6, ids: [`${n}a`, `${n}b`] }));

    // Act
    const rows = await collect(sim.client.listPurchases());

    // Assert
    expect(rows.map((r) => r.ID)).toEqual(['1a', '1b', '2a', '2b', '3a', '3b']);
  });
});
