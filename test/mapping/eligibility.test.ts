import { describe, expect, it } from 'vitest';
import { invoiceEligibility } from '../../src/mapping/eligibility.js';
import { fingerprintInvoice } from '../../src/mapping/fingerprint.js';
import { buildInvoice, buildPurchase } from '../support/build-purchase.js';

describe('invoiceEligibility', () => {
  it.each([
    ['INVOICE', 'AUTHORISED', true],
    ['STOCK', 'PAID', true],
    ['INVOICE', 'DRAFT', false],
    ['INVOICE', 'VOIDED', false],
    ['INVOICE', 'NOT AVAILABLE', false],
  ])('when approach is %s and the invoice is %s, then eligible is %s', (approach, status, expected) => {
    const purchase = buildPurchase({ Approach: approach });
    expect(invoiceEligibility(purchase, buildInvoice({ Status: status }), ['INVOICE', 'STOCK']).eligible).toBe(
      expected,
    );
  });

  it('when STOCK purchases are not eligible by setting, then the reason names the setting', () => {
    const purchase = buildPurchase({ Approach: 'STOCK' });
    expect(invoiceEligibility(purchase, buildInvoice(), ['INVOICE'])).toEqual({
      eligible: false,
      reason: 'purchase approach STOCK is not in ELIGIBLE_APPROACHES (INVOICE)',
    });
  });

  it('when the invoice is a draft, then the reason names the stage', () => {
    expect(invoiceEligibility(buildPurchase(), buildInvoice({ Status: 'DRAFT' }), ['INVOICE'])).toEqual({
      eligible: false,
      reason: 'invoice stage DRAFT',
    });
  });
});

describe('fingerprintInvoice', () => {
  it('when an authorised invoice is paid, then its fingerprint does not change', () => {
    const invoice = buildInvoice();
    const purchase = buildPurchase({ Invoice: [invoice] });
    expect(fingerprintInvoice(purchase, { ...invoice, Status: 'PAID' })).toBe(fingerprintInvoice(purchase, invoice));
  });

  it('when a line price changes, then the fingerprint changes', () => {
    const invoice = buildInvoice();
    const purchase = buildPurchase({ Invoice: [invoice] });
    const changed = { ...invoice, Lines: invoice.Lines.map((l) => ({ ...l, Price: l.Price + 1 })) };
    expect(fingerprintInvoice(purchase, changed)).not.toBe(fingerprintInvoice(purchase, invoice));
  });
});
