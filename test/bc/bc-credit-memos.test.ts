/**
 * Purchase credit memos through the real BC client against the simulator's credit memo page
 * (APIV2PurchaseCreditMemos.Page.al): deep insert, application to a posted invoice on posting, the duplicate
 * check, and the fields the page does not take.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BcPurchaseCreditMemoCreate } from '../../src/bc/schemas.js';
import { ValidationError } from '../../src/core/errors.js';
import { buildInvoice, seedBasics, startHarness, type Harness } from './bc-harness.js';

let h: Harness;

/** One line of 20.00 + 10 % tax = 22.00, applied to `invoiceId` when given. */
function buildMemo(overrides: Partial<BcPurchaseCreditMemoCreate> = {}): BcPurchaseCreditMemoCreate {
  return {
    vendorNumber: 'V100',
    vendorCreditMemoNumber: 'CR-1',
    creditMemoDate: '2026-03-05',
    purchaseCreditMemoLines: [
      {
        sequence: 10000,
        lineType: 'Account',
        lineObjectNumber: '6100',
        description: 'Damaged freight',
        quantity: 1,
        unitCost: 20,
        taxCode: 'STD',
        dimensionSetLines: [{ code: 'AREA', valueCode: 'NORTH' }],
      },
    ],
    ...overrides,
  };
}

/** A posted invoice of 27.50 (two lines of 12.50 + 10 %). */
async function postedInvoice(number = 'INV-1'): Promise<string> {
  const client = h.client();
  const draft = await client.createPurchaseInvoice(buildInvoice({ vendorInvoiceNumber: number }));
  return (await client.postPurchaseInvoiceAndRead(draft.id)).id;
}

describe('BC purchase credit memos', () => {
  beforeEach(async () => {
    h = await startHarness();
    seedBasics(h.bc);
  });
  afterEach(async () => {
    await h.close();
  });

  it('when a memo naming a posted invoice is posted, then the invoice still owes its total less the memo and the memo, used up, reads Paid', async () => {
    const invoiceId = await postedInvoice();
    const client = h.client();
    const draft = await client.createPurchaseCreditMemo(buildMemo({ invoiceId }));
    expect(draft).toMatchObject({ status: 'Draft', invoiceId, totalAmountIncludingTax: 22 });
    const posted = await client.postPurchaseCreditMemoAndRead(draft.id);
    expect(posted).toMatchObject({ id: draft.id, status: 'Paid', vendorCreditMemoNumber: 'CR-1' });
    expect(h.bc.remainingAmount(invoiceId)).toBe(5.5);
    expect((await client.getPurchaseInvoice(invoiceId))?.status).toBe('Open');
  });

  it('when a memo covers what the invoice still owes, then the invoice reads Paid and the memo keeps the rest open', async () => {
    const invoiceId = await postedInvoice();
    h.bc.payInvoice(invoiceId, 10);
    const client = h.client();
    const draft = await client.createPurchaseCreditMemo(buildMemo({ invoiceId }));
    await client.postPurchaseCreditMemoAndRead(draft.id);
    expect((await client.getPurchaseInvoice(invoiceId))?.status).toBe('Paid');
    expect(h.bc.remainingAmount(draft.id)).toBe(4.5);
  });

  it('when the invoice was fully paid before the memo posts, then BC refuses to post the applied memo', async () => {
    const invoiceId = await postedInvoice();
    const client = h.client();
    const draft = await client.createPurchaseCreditMemo(buildMemo({ invoiceId }));
    h.bc.payInvoice(invoiceId);
    const error = await client.postPurchaseCreditMemoAndRead(draft.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain('There is no Vendor Ledger Entry within the filter');
  });

  it('when invoiceId names no posted invoice, then the create is refused and nothing is created', async () => {
    const draftInvoice = await h.client().createPurchaseInvoice(buildInvoice());
    const error = await h
      .client()
      .createPurchaseCreditMemo(buildMemo({ invoiceId: draftInvoice.id }))
      .catch((e: unknown) => e);
    expect((error as ValidationError).message).toContain('The "invoiceId" does not match to an Invoice.');
    expect(h.bc.data.purchaseCreditMemos.all()).toHaveLength(0);
  });

  it('when pricesIncludeTax is sent, then the page refuses it as read-only', async () => {
    const body = { ...buildMemo(), pricesIncludeTax: true } as BcPurchaseCreditMemoCreate;
    const error = await h
      .client()
      .createPurchaseCreditMemo(body)
      .catch((e: unknown) => e);
    expect((error as ValidationError).message).toContain("Control 'pricesIncludeTax' is read-only.");
  });

  it('when a memo names no invoice, then it posts Open with its whole amount unapplied', async () => {
    const client = h.client();
    const draft = await client.createPurchaseCreditMemo(buildMemo());
    expect((await client.postPurchaseCreditMemoAndRead(draft.id)).status).toBe('Open');
    expect(h.bc.remainingAmount(draft.id)).toBe(22);
  });

  it('when a second memo with the same vendor credit memo number is posted for the vendor, then BC refuses it', async () => {
    const client = h.client();
    const first = await client.createPurchaseCreditMemo(buildMemo({ vendorCreditMemoNumber: "cr-o'1" }));
    await client.postPurchaseCreditMemoAndRead(first.id);
    const second = await client.createPurchaseCreditMemo(buildMemo({ vendorCreditMemoNumber: "CR-O'1" }));
    const error = await client.postPurchaseCreditMemoAndRead(second.id).catch((e: unknown) => e);
    expect((error as ValidationError).message).toContain("Purchase Credit Memo CR-O'1 already exists for this vendor.");
  });

  it('when a memo number has an apostrophe, then findPurchaseCreditMemos finds exactly its drafts and posted memos', async () => {
    const client = h.client();
    const memo = await client.createPurchaseCreditMemo(buildMemo({ vendorCreditMemoNumber: "O'BRIEN-CR" }));
    await client.createPurchaseCreditMemo(buildMemo({ vendorCreditMemoNumber: 'OTHER' }));
    const found = await client.findPurchaseCreditMemos({ vendorNumber: 'V100', vendorCreditMemoNumber: "O'BRIEN-CR" });
    expect(found.map((m) => m.id)).toEqual([memo.id]);
  });

  it("when a dimension is added to a draft memo's line, then the memo read back carries it", async () => {
    h.bc.addDimension('DEPT', ['SALES']);
    const client = h.client();
    const draft = await client.createPurchaseCreditMemo(buildMemo());
    const line = (await client.getPurchaseCreditMemo(draft.id))?.purchaseCreditMemoLines[0];
    await client.createLineDimension(draft.id, line?.id ?? '', { code: 'DEPT', valueCode: 'SALES' }, 'credit-memo');
    const read = await client.getPurchaseCreditMemo(draft.id);
    expect(read?.purchaseCreditMemoLines[0]?.dimensionSetLines.map((d) => d.code).sort()).toEqual(['AREA', 'DEPT']);
  });

  it('when a posted memo is cancelled, then what it applied is open on the invoice again', async () => {
    const invoiceId = await postedInvoice();
    const client = h.client();
    const draft = await client.createPurchaseCreditMemo(buildMemo({ invoiceId }));
    await client.postPurchaseCreditMemoAndRead(draft.id);
    h.bc.state.cancelPurchaseCreditMemo(h.bc.data, draft.id);
    expect(h.bc.remainingAmount(invoiceId)).toBe(27.5);
    expect((await client.getPurchaseCreditMemo(draft.id))?.status).toBe('Canceled');
  });

  it("when the memo look-up asks for the credited invoice too, then one BC request brings the vendor's memos and the invoice", async () => {
    const invoiceId = await postedInvoice();
    const client = h.client();
    await client.createPurchaseCreditMemo(buildMemo({ vendorCreditMemoNumber: "CR-O'1" }));
    h.faults.resetCounts();

    const found = await client.findPurchaseCreditMemosAndReadInvoice(
      { vendorNumber: 'V100', vendorCreditMemoNumber: "CR-O'1" },
      invoiceId,
    );

    expect(found.memos.map((m) => [m.vendorCreditMemoNumber, m.status])).toEqual([["CR-O'1", 'Draft']]);
    expect(found.invoice).toMatchObject({ id: invoiceId, status: 'Open', vendorNumber: 'V100' });
    expect(h.faults.count({ system: 'bc' })).toBe(1);
  });

  it('when the credited invoice is not in BC, then the look-up still answers, with no invoice', async () => {
    const client = h.client();

    const found = await client.findPurchaseCreditMemosAndReadInvoice(
      { vendorNumber: 'V100', vendorCreditMemoNumber: 'CR-1' },
      '0f0e0d0c-0b0a-4908-8706-050403020100',
    );

    expect(found).toEqual({ memos: [], invoice: undefined });
  });

  it('when a read inside the look-up batch is throttled, then the whole batch is sent again and answers', async () => {
    const invoiceId = await postedInvoice();
    const client = h.client();
    const earlier = h.bc.batchOperations.length;
    h.faults.add({
      system: 'bc',
      method: 'GET',
      path: /purchaseInvoices\(/,
      kind: 'throttle-no-retry-after',
      times: 1,
    });

    const found = await client.findPurchaseCreditMemosAndReadInvoice(
      { vendorNumber: 'V100', vendorCreditMemoNumber: 'CR-1' },
      invoiceId,
    );

    expect(found.invoice?.id).toBe(invoiceId);
    expect(h.bc.batchOperations.slice(earlier).map((o) => o.status)).toEqual([200, 429, 200, 200]);
  });

  it('when a draft memo is unapplied, then it posts Open with its whole amount and the invoice still owes all of it', async () => {
    const invoiceId = await postedInvoice();
    const client = h.client();
    const draft = await client.createPurchaseCreditMemo(buildMemo({ invoiceId }));

    const unapplied = await client.unapplyPurchaseCreditMemo(draft.id, draft['@odata.etag'] ?? '*');
    const posted = await client.postPurchaseCreditMemoAndRead(draft.id);

    expect(unapplied.invoiceNumber ?? '').toBe('');
    expect(posted).toMatchObject({ status: 'Open' });
    expect(h.bc.remainingAmount(invoiceId)).toBe(27.5);
  });

  it('when a posted memo is unapplied, then BC refuses: a posted memo can no longer be modified', async () => {
    const client = h.client();
    const draft = await client.createPurchaseCreditMemo(buildMemo());
    const posted = await client.postPurchaseCreditMemoAndRead(draft.id);

    const error = await client.unapplyPurchaseCreditMemo(posted.id, '*').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain('can no longer be modified');
  });
});
