import { describe, expect, it } from 'vitest';
import { messageIdFor, retryMessageId, sessionIdFor } from '../../src/core/job-ids.js';
import type { SyncJob } from '../../src/core/ports/jobs.js';
import { ValidationError } from '../../src/core/errors.js';

const purchaseId = '6F9619FF-8B86-D011-B42D-00C04FC964FF';

describe('sessionIdFor', () => {
  it.each<[string, SyncJob, string]>([
    [
      'a poll row with ID and order number',
      { type: 'cin7-purchase', purchaseId, orderNumber: 'PO-00042' },
      'cin7-purchase:ORDER:PO-00042',
    ],
    [
      'a webhook with order number and TaskID',
      { type: 'cin7-purchase', taskId: 'abc', orderNumber: 'po-00042' },
      'cin7-purchase:ORDER:PO-00042',
    ],
    ['a replay by ID only', { type: 'cin7-purchase', purchaseId }, `cin7-purchase:ID:${purchaseId.toLowerCase()}`],
    ['a webhook with a TaskID only', { type: 'cin7-purchase', taskId: 'T-1' }, 'cin7-purchase:TASK:t-1'],
    ['a supplier', { type: 'cin7-supplier', supplierId: purchaseId }, `cin7-supplier:${purchaseId.toLowerCase()}`],
    ['a BC vendor', { type: 'bc-vendor', vendorId: 'V-GUID' }, 'bc-vendor:v-guid'],
    ['a BC item', { type: 'bc-item', itemId: 'I-GUID' }, 'bc-item:i-guid'],
    [
      'a collection poll',
      { type: 'bc-collection', resource: 'items', since: '2026-11-28T10:00:00Z' },
      'bc-collection:items',
    ],
  ])('when the job is %s, then the session is %j', (_label, job, expected) => {
    expect(sessionIdFor(job)).toBe(expected);
  });

  it('when the webhook and the poll describe the same purchase, then they share a session', () => {
    const fromWebhook = sessionIdFor({ type: 'cin7-purchase', taskId: 'unreliable', orderNumber: ' po-00042 ' });
    const fromPoll = sessionIdFor({ type: 'cin7-purchase', purchaseId, orderNumber: 'PO-00042' });
    expect(fromWebhook).toBe(fromPoll);
  });

  it('when the order number is very long, then the session id is hashed to at most 128 characters and stays deterministic', () => {
    const job: SyncJob = { type: 'cin7-purchase', orderNumber: 'X'.repeat(300) };
    const id = sessionIdFor(job);
    expect(id.length).toBeLessThanOrEqual(128);
    expect(id).toMatch(/^cin7-purchase:#[A-Za-z0-9_-]{43}$/);
    expect(sessionIdFor({ ...job })).toBe(id);
    expect(sessionIdFor({ type: 'cin7-purchase', orderNumber: `${'X'.repeat(299)}Y` })).not.toBe(id);
  });

  it.each<[string, SyncJob]>([
    ['a purchase with no key', { type: 'cin7-purchase' }],
    ['a purchase with blank keys', { type: 'cin7-purchase', orderNumber: ' ', purchaseId: '' }],
    ['a supplier with a blank id', { type: 'cin7-supplier', supplierId: '  ' }],
  ])('when the job is %s, then it throws ValidationError', (_label, job) => {
    expect(() => sessionIdFor(job)).toThrow(ValidationError);
  });
});

describe('messageIdFor', () => {
  it('when the same version is reported by a webhook and a poll, then the message ids are equal', () => {
    const version = '2026-11-28T10:00:00.123Z';
    expect(messageIdFor({ type: 'cin7-purchase', taskId: 'x', orderNumber: 'PO-1' }, version)).toBe(
      messageIdFor({ type: 'cin7-purchase', purchaseId, orderNumber: 'po-1' }, version),
    );
  });

  it('when the version changes, then the message id changes', () => {
    const job: SyncJob = { type: 'bc-vendor', vendorId: 'v1' };
    expect(messageIdFor(job, 'W/"1"')).not.toBe(messageIdFor(job, 'W/"2"'));
  });

  it('when a single invoice is replayed, then its id differs from the whole purchase at the same version', () => {
    const job: SyncJob = { type: 'cin7-purchase', purchaseId };
    expect(messageIdFor({ ...job, invoiceTaskId: 'INV-1' }, 'v1')).not.toBe(messageIdFor(job, 'v1'));
  });

  it('when collection polls start at different times, then their ids differ', () => {
    const a = messageIdFor({ type: 'bc-collection', resource: 'vendors', since: '2026-11-28T10:00:00Z' }, 'n1');
    const b = messageIdFor({ type: 'bc-collection', resource: 'vendors', since: '2026-11-28T11:00:00Z' }, 'n1');
    expect(a).not.toBe(b);
  });

  it('when the id is readable, then it names the record and the version', () => {
    expect(messageIdFor({ type: 'bc-item', itemId: 'ABC' }, '2026-11-28T10:00:00Z')).toBe(
      'bc-item:abc@2026-11-28T10:00:00Z',
    );
  });

  it('when the version is long, then the id is hashed to at most 128 characters', () => {
    const id = messageIdFor({ type: 'bc-item', itemId: 'abc' }, 'v'.repeat(200));
    expect(id.length).toBeLessThanOrEqual(128);
    expect(id.startsWith('bc-item:#')).toBe(true);
  });

  it('when the version is blank, then it throws ValidationError', () => {
    expect(() => messageIdFor({ type: 'bc-item', itemId: 'abc' }, ' ')).toThrow(ValidationError);
  });
});

describe('retryMessageId', () => {
  it('when a message is retried, then each attempt gets its own id derived from the original', () => {
    const original = 'bc-item:abc@v1';
    expect(retryMessageId(original, 2)).toBe('bc-item:abc@v1:retry:2');
    expect(retryMessageId(original, 3)).not.toBe(retryMessageId(original, 2));
    expect(retryMessageId(original, 2)).not.toBe(original);
  });

  it('when a retry id is retried again, then the suffix is replaced rather than nested', () => {
    expect(retryMessageId(retryMessageId('m1', 2), 3)).toBe('m1:retry:3');
  });

  it('when the original id is already 128 characters, then the retry id still fits and differs per attempt', () => {
    const original = 'x'.repeat(128);
    const second = retryMessageId(original, 2);
    const third = retryMessageId(original, 3);
    expect(second.length).toBeLessThanOrEqual(128);
    expect(second).not.toBe(third);
    expect(retryMessageId(second, 3)).toBe(third);
  });

  it.each([[0], [-1], [1.5]])('when the attempt is %d, then it throws ValidationError', (attempt) => {
    expect(() => retryMessageId('m1', attempt)).toThrow(ValidationError);
  });
});
