/**
 * Invariant 7 over the whole demo scenario (issue 6 "Secrets"): with known secret values, nothing the run
 * leaves behind — log lines, telemetry, every ledger, audit, mapping, watermark and subscription row, every
 * queued message, dead letter and error text — contains a secret or a bearer token BC accepted.
 */
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { describe, expect, inject, it } from 'vitest';
import { runDemo } from '../demo/demo-runner.js';
import { sandboxSecrets, type Sandbox } from '../sandbox/sandbox.js';

async function tableRows(sandbox: Sandbox): Promise<string[]> {
  const connection = inject('azuriteConnectionString');
  const prefix = (sandbox.env['TABLE_PREFIX'] ?? '').toLowerCase();
  const service = TableServiceClient.fromConnectionString(connection, { allowInsecureConnection: true });
  const rows: string[] = [];
  for await (const table of service.listTables()) {
    if (!table.name?.toLowerCase().startsWith(prefix)) continue;
    const client = TableClient.fromConnectionString(connection, table.name, { allowInsecureConnection: true });
    for await (const entity of client.listEntities()) rows.push(JSON.stringify(entity));
  }
  return rows;
}

describe('I7: secret scan of the demo run', () => {
  it(
    'I7: when the demo scenario runs with known secrets, then no log, row, message, telemetry or error text contains one',
    { timeout: 120_000 },
    async () => {
      let scanned: { texts: string[]; tokens: string[]; rows: number; messages: number } | undefined;
      const result = await runDemo({
        purchases: 40,
        seed: 7,
        azuriteConnectionString: inject('azuriteConnectionString'),
        beforeClose: async (sandbox) => {
          const rows = await tableRows(sandbox);
          scanned = {
            texts: [
              ...sandbox.logs.map((line) => JSON.stringify(line)),
              ...sandbox.telemetry.events.map((event) => JSON.stringify(event)),
              ...sandbox.telemetry.metrics.map((metric) => JSON.stringify(metric)),
              ...rows,
              ...sandbox.sentMessages,
              ...sandbox.queue.deadLetters.map((letter) => JSON.stringify(letter)),
            ],
            tokens: [...sandbox.bearerTokens],
            rows: rows.length,
            messages: sandbox.sentMessages.length,
          };
        },
      });
      expect(result.differences).toEqual([]);
      expect(scanned).toBeDefined();
      if (!scanned) return;
      // The scan saw the run's real output, not an empty one.
      expect(scanned.rows).toBeGreaterThan(100);
      expect(scanned.messages).toBeGreaterThan(20);
      expect(scanned.tokens.length).toBeGreaterThan(0);
      const needles = [...Object.values(sandboxSecrets), ...scanned.tokens];
      const leaks = scanned.texts.flatMap((text) =>
        needles
          .filter((needle) => text.includes(needle))
          .map((needle) => `${needle.slice(0, 6)}… in ${text.slice(0, 120)}`),
      );
      expect(leaks).toEqual([]);
    },
  );
});
