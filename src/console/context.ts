/** What every view gets: who is signed in, the route, the page's main region and the status line. */
import type { ApiError } from './api.js';

export interface Links {
  cin7Purchase: string;
  bcPostedInvoice: string;
  bcDraftInvoice: string;
}

export interface Session {
  name: string | null;
  roles: string[];
  canOperate: boolean;
  links: Links;
  recordTypes: string[];
  ledgerStates: string[];
}

export interface ViewContext {
  session: Session;
  /** Route segments after `#/` (decoded), e.g. `['record', 'purchase-invoice', 'abc/def']`. */
  path: string[];
  params: URLSearchParams;
  main: HTMLElement;
  /** Tells the status line (read out by screen readers). */
  say(message: string, kind?: 'info' | 'error'): void;
  fail(error: unknown): void;
  /** Whether this view is still the one shown (a slow answer must not draw over the next view). */
  current(): boolean;
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof Error && 'status' in error;
}

/** Attributes that make an operator-only control inert, with the reason, for a reader. */
export function operatorOnly(session: Session): Record<string, string | boolean> {
  return session.canOperate
    ? {}
    : { disabled: true, title: 'Needs the Console.Operator role', 'aria-describedby': 'read-only-note' };
}

/** Records of Cin7 purchases (`purchase-…`, keyed `purchaseId/…`) open their purchase in Cin7. */
export function cin7PurchaseUrl(links: Links, recordType: string, recordId: string): string | undefined {
  if (!recordType.startsWith('purchase-')) return undefined;
  const purchaseId = recordId.split('/')[0];
  return purchaseId ? links.cin7Purchase.replace('{id}', encodeURIComponent(purchaseId)) : undefined;
}

/** BC purchase invoices open in the web client (other document types have other pages). */
export function bcDocumentUrl(
  links: Links,
  recordType: string,
  state: string,
  number: string | undefined,
): string | undefined {
  if (!number || recordType !== 'purchase-invoice') return undefined;
  const template = state === 'posted' || state === 'diverged' ? links.bcPostedInvoice : links.bcDraftInvoice;
  return template.replace('{number}', encodeURIComponent(number));
}

export function recordHash(type: string, id: string): string {
  return `#/record/${encodeURIComponent(type)}/${encodeURIComponent(id)}`;
}
