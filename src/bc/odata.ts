/**
 * Building `$filter` expressions and query strings for BC, in the manner of `@azure/data-tables`' `odata`
 * template: interpolated values are turned into OData literals, never pasted in as text.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A GUID literal (unquoted in OData v4 filters, e.g. `vendorId eq 5d115c9c-...`). */
export class ODataGuid {
  constructor(readonly value: string) {
    if (!GUID.test(value)) throw new TypeError('odata: not a GUID');
  }
}

/** Marks a value as a GUID literal for the `odata` template. */
export function odataGuid(value: string): ODataGuid {
  return new ODataGuid(value);
}

export type ODataValue = string | number | boolean | Date | null | ODataGuid;

/** True for a BC id (a GUID without braces). */
export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/**
 * One OData literal: strings quoted with `'` doubled (OData URL conventions; reference/bc-api.md §1.2),
 * dates as ISO 8601 UTC without quotes, numbers and booleans bare.
 */
export function odataLiteral(value: ODataValue): string {
  if (value === null) return 'null';
  if (value instanceof ODataGuid) return value.value.toLowerCase();
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('odata: invalid date');
    return value.toISOString();
  }
  switch (typeof value) {
    case 'string':
      return `'${value.replace(/'/g, "''")}'`;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('odata: number must be finite');
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
  }
}

/**
 * Tagged template for `$filter`: `odata\`vendorNumber eq ${n} and vendorInvoiceNumber eq ${v}\``.
 * The result is the filter text; `buildQuery` URL-encodes it.
 */
export function odata(strings: TemplateStringsArray, ...values: ODataValue[]): string {
  let text = strings[0] ?? '';
  values.forEach((value, index) => {
    text += odataLiteral(value) + (strings[index + 1] ?? '');
  });
  return text;
}

/** Joins filter clauses with `and`, skipping empty ones. */
export function andFilters(clauses: ReadonlyArray<string | undefined>): string | undefined {
  const present = clauses.filter((c): c is string => c !== undefined && c !== '');
  return present.length === 0 ? undefined : present.join(' and ');
}

/**
 * A query string (with leading `?`, or empty) with every value percent-encoded, so `&`, `#`, `+`, `'`
 * and spaces inside literals survive. `+` is encoded as `%2B` because servers read a bare `+` as space.
 */
export function buildQuery(params: Readonly<Record<string, string | undefined>>): string {
  const parts = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${encodeQueryValue(value)}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

function encodeQueryValue(value: string): string {
  // encodeURIComponent leaves ' ( ) * ! unescaped, which is fine in a query; it encodes & # + = and space.
  return encodeURIComponent(value);
}

/** `'id'` with quotes doubled and the whole key percent-encoded: for string keys like `subscriptions('…')`. */
export function quotedKey(value: string): string {
  return encodeURIComponent(`'${value.replace(/'/g, "''")}'`);
}
