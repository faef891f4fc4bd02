/**
 * Invariant 7: secrets never leave Key Vault except into memory (DESIGN §3.7). A run that touches every
 * path that writes text (success, lost response, mapping gap, rejected create, retries to failure, token
 * refresh) leaves no secret value in logs, telemetry, tables, queued messages or dead letters.
 *
 * The Cin7 account id is treated as a secret too: it is half of Cin7's credential pair, DESIGN §4 keeps it
 * in Key Vault (`cin7-account-id`), and nothing an operator needs refers to it.
 */
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { describe, expect, inject, it } from 'vitest';
import { sandboxSecrets, type Sandbox } from '../sandbox/sandbox.js';
import { addAuthorisedPurchase, addSupplierWithVendor } from '../support/seed.js';
import { announceInvoice, sandboxPerTest } from '../support/invariant-sandbox.js';

/** Every entity of every table this sandbox created, as JSON text. */
async function dumpTables(sandbox: Sandbox): Promise<string[]> {
  const connection = inject('azuriteConnectionString');
  const prefix = (sandbox.env['TABLE_PREFIX'] ?? '').toLowerCase();
  const service = TableServiceClient.fromConnectionString(connection, { allowInsecureConnection: true });
  const texts: string[] = [];
  for await (const table of service.listTables()) {
    if (!table.name?.toLowerCase().startsWith(prefix)) continue;
    const client = TableClient.fromConnectionString(connection, table.name, { allowInsecureConnection: true });
    for await (const entity of client.listEntities()) texts.push(JSON.stringify(entity));
  }
  return texts;
}

describe('I7: secrets stay in memory', () => {
  const start = sandboxPerTest();

  it('I7: when a run goes through success, lost responses, gaps, rejections, failures and a token refresh, then no log, telemetry, table row, message or error holds a secret', async () => {
    // Arrange
    const sb = await start({ env: { MAX_ATTEMPTS: '2' }, tokenLifetimeSeconds: 60 });
    const { supplier } = addSupplierWithVendor(sb);
    const posted = addAuthorisedPurchase(sb, supplier.ID);
    const lostResponse = addAuthorisedPurchase(sb, supplier.ID);
    const gap = addAuthorisedPurchase(
      sb,
      supplier.ID,
      {},
      { Lines: [{ Name: 'Mystery', Quantity: 1, Price: 10, Account: '999' }] },
    );
    const rejected = addAuthorisedPurchase(
      sb,
      supplier.ID,
      {},
      { Lines: [{ Name: 'Bad tax', Quantity: 1, Price: 10, TaxRule: 'Tax Exempt' }] },
    );
    const failing = addAuthorisedPurchase(sb, supplier.ID);

    // Act
    await announceInvoice(sb, posted);
    await sb.settle();
    sb.entra.expireAllTokens();
    sb.faults.add({ system: 'bc', method: 'POST', path: /\/purchaseInvoices$/, kind: 'lost-response', times: 1 });
    await announceInvoice(sb, lostResponse);
    await announceInvoice(sb, gap);
    await sb.settle();
    sb.bc.data.taxRates.delete('TAX EXEMPT');
    await announceInvoice(sb, rejected);
    await sb.settle();
    sb.faults.add({ system: 'bc', method: 'POST', path: /\/purchaseInvoices$/, kind: 'server-error' });
    await announceInvoice(sb, failing);
    await sb.settle();

    // Assert
    const ledger = await sb.ledger();
    expect(ledger.map((e) => e.state).sort()).toEqual(['failed', 'failed', 'needs-mapping', 'posted', 'posted']);
    expect(sb.bearerTokens.size).toBeGreaterThanOrEqual(2);
    const secrets = [...Object.values(sandboxSecrets), ...sb.bearerTokens];
    const audit = (await Promise.all(ledger.map((e) => sb.deps.stores.audit.list(e.recordType, e.recordId)))).flat();
    const texts = [
      ...sb.logs.map((line) => JSON.stringify(line)),
      ...sb.telemetry.events.map((event) => JSON.stringify(event)),
      ...sb.telemetry.metrics.map((metric) => JSON.stringify(metric)),
      ...sb.telemetry.dependencies.map((call) => JSON.stringify(call)),
      ...(await dumpTables(sb)),
      ...ledger.map((entry) => JSON.stringify(entry)),
      ...audit.map((row) => JSON.stringify(row)),
      ...sb.sentMessages,
      ...sb.queue.deadLetters.map((letter) => JSON.stringify(letter)),
    ];
    expect(texts.length).toBeGreaterThan(50);
    // Every outgoing Cin7 and BC attempt is a dependency whose target is a bare host: no path, no query.
    expect(new Set(sb.telemetry.dependencies.map((call) => call.system))).toEqual(new Set(['cin7', 'bc']));
    for (const call of sb.telemetry.dependencies) expect(call.target).toMatch(/^[^/?#@]+$/);
    expect(texts.join('\n')).toMatch(/BC rejected the invoice/);
    const leaks = texts.flatMap((text) =>
      secrets
        .filter((secret) => text.includes(secret))
        .map((secret) => `${secret.slice(0, 12)}… in ${text.slice(0, 120)}`),
    );
    expect(leaks).toEqual([]);
  });
});
