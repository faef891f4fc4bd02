/**
 * What an operator may see of a setting's value in an error (DESIGN §3.7: secrets are never echoed).
 *
 * An allow-list, like the logger's: a value is shown only when it is short and made of characters that
 * plain values (names, numbers, host names, schedules) use. Anything with `@`, `=`, `;`, `?`, `&`, `~`,
 * `+` or `%` may be URL user-info, a connection string (`AccountKey=`), a SAS token (`sig=`) or a pasted
 * key, so it is not shown at all, not even its start.
 */
const PLAIN_VALUE = /^[A-Za-z0-9 ._:/*,-]{1,80}$/;

export function describeValue(raw: string, secret: boolean): string {
  if (secret) return '';
  return PLAIN_VALUE.test(raw) ? ` (got '${raw}')` : ' (the value is not shown: it may hold a credential)';
}
