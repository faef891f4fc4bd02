/**
 * Issue 10 item 11: each reason a real BC refuses to post (or to take) an invoice ends, through the real job
 * runner, in a visible final ledger state whose reason carries BC's own words, after one attempt.
 */
import { describe, expect, it } from 'vitest';
import { runJob } from '../../src/sync/jobs/run-job.js';
import { allHandlers } from '../../src/sync/jobs/handlers.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { addAuthorisedPurchase, addSupplierWithVendor } from '../support/seed.js';
import { purchaseEnvelope, sandboxPerTest } from '../support/invariant-sandbox.js';

describe('I4: BC refusals end in a visible state', () => {
  const start = sandboxPerTest();

  it.each([
    [
      'an approval workflow holds the draft',
      (sb: Sandbox) => sb.bc.setPurchaseApprovalWorkflow(true),
      /^BC refused to post draft \d+: .*must be approved and released before you can perform this action.*; approve the document in BC .*then replay$/,
    ],
    [
      'the posting date is outside the allowed range',
      (sb: Sandbox) => sb.bc.setAllowedPostingDates({ to: '2000-01-01' }),
      /^BC refused to post draft \d+: .*Posting Date is not within your range of allowed posting dates.*; widen Allow Posting From\/To .*then replay$/,
    ],
    [
      'the foreign currency has no exchange rate',
      (sb: Sandbox) => sb.bc.setExchangeRateMissing('EUR', true),
      /^BC rejected the invoice: .*Currency Factor must have a value in Purchase Header.*; add an exchange rate for the currency in BC, then replay$/,
    ],
  ])(
    "I4: when %s, then the record is failed once with BC's reason and what to do about it",
    async (_case, arrange, reason) => {
      const sb = await start();
      arrange(sb);
      const { supplier } = addSupplierWithVendor(sb, 'Euro Oils', { currency: 'EUR' });
      const purchase = addAuthorisedPurchase(sb, supplier.ID, { CurrencyRate: 1 });

      await runJob(purchaseEnvelope(purchase), sb.deps, allHandlers);

      const [entry] = await sb.ledger('purchase-invoice');
      expect(entry?.state).toBe('failed');
      expect(entry?.attempts).toBe(1);
      expect(entry?.reason).toMatch(reason);
    },
  );
});
