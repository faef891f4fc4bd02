/** What an operator should see of a value: nothing for secrets, else a short copy without query strings. */
export function describeValue(raw: string, secret: boolean): string {
  if (secret) return '';
  const shown = raw.replace(/[?#].*$/, '');
  return ` (got '${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}')`;
}
