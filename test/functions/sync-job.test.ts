import { InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { createSyncJobHandler } from '../../src/functions/sync-job.js';
import type { SyncDeps } from '../../src/sync/deps.js';
import { createLogger, memorySink } from '../../src/telemetry/logger.js';
import { createMemoryTelemetry } from '../../src/telemetry/telemetry.js';

describe('sync-job function', () => {
  it.each([
    [
      'a body that is not a job',
      { type: 'cin7-purchase' },
      {
        messageId: 'm',
        sessionId: 's',
        applicationProperties: { attempt: 1, trigger: 'webhook', receivedAt: '2026-11-28T08:00:00Z' },
      },
    ],
    ['no trigger metadata', { type: 'bc-item', itemId: 'x' }, undefined],
    ['bytes that are not JSON', new Uint8Array([0xff, 0x00, 0x7b]), { messageId: 'm', sessionId: 's' }],
  ])(
    'when the message has %s, then it is completed with an error log and a job.malformed event, and no use case runs',
    async (_label, body, triggerMetadata) => {
      const telemetry = createMemoryTelemetry();
      const logs = memorySink();
      let useCaseRan = false;
      const handler = createSyncJobHandler({
        getDeps: () => Promise.resolve({ telemetry } as unknown as SyncDeps),
        logger: () => createLogger(logs.sink),
        handlers: {
          'bc-item': () => {
            useCaseRan = true;
            return Promise.resolve();
          },
        },
      });
      const result = await handler(
        body,
        new InvocationContext({
          functionName: 'sync-job',
          ...(triggerMetadata ? { triggerMetadata } : {}),
          logHandler: () => undefined,
        }),
      );
      expect(result).toBeUndefined();
      expect(useCaseRan).toBe(false);
      expect(telemetry.events.map((e) => e.name)).toEqual(['job.malformed']);
      expect(logs.lines.some((l) => l.level === 'error')).toBe(true);
    },
  );
});
