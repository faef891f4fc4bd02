/**
 * Field parsers: each turns one setting's text into its typed value or says what is wrong and what to do.
 * A problem text never contains the value: `describe-value.ts` decides what of it may be shown.
 */
import { Secret } from '../secret.js';
import type { Approach } from '../../core/settings.js';
import type { Parsed, Parser } from './row.js';

export const NCRONTAB_HINT = 'six-field NCRONTAB: {second} {minute} {hour} {day} {month} {day-of-week}';

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (problem: string): Parsed<never> => ({ ok: false, problem });

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

/**
 * `key=value;key=value`: a storage or Service Bus connection string (or a SAS token) pasted where an address
 * belongs.
 */
const CONNECTION_STRING = /^[A-Za-z]+=[^;]*;|^(sv|sig|se|sp|sr|st)=|SharedAccessSignature=/i;
const NOT_A_CONNECTION_STRING =
  'holds a connection string or SAS token, not an address: ' +
  'give the endpoint only (the app signs in with its managed identity; keys belong in Key Vault)';

export const text =
  (maxLength = 256): Parser<string> =>
  (raw) =>
    raw.length <= maxLength ? ok(raw) : bad(`must be at most ${maxLength} characters`);

export const guid: Parser<string> = (raw) =>
  GUID.test(raw) ? ok(raw.toLowerCase()) : bad('must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)');

export const tenant: Parser<string> = (raw) =>
  GUID.test(raw) || DOMAIN.test(raw) ? ok(raw) : bad('must be the tenant id (a GUID) or a domain such as contoso.com');

/** An absolute http(s) URL without query or credentials. */
export function url(options: { httpsOnly?: boolean; trailingSlash?: 'add' | 'remove' } = {}): Parser<string> {
  return (raw) => {
    if (CONNECTION_STRING.test(raw)) return bad(NOT_A_CONNECTION_STRING);
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      return bad('must be an absolute URL, e.g. https://example.com');
    }
    const allowed = options.httpsOnly === true ? ['https:'] : ['https:', 'http:'];
    if (!allowed.includes(parsed.protocol)) return bad(`must be an ${allowed.join(' or ').replace(/:/g, '')} URL`);
    if (parsed.username !== '' || parsed.password !== '') {
      return bad(
        "must not carry credentials in the URL (a user name or key before '@'): " +
          'remove them; secrets belong in Key Vault',
      );
    }
    if (parsed.search !== '')
      return bad('must not carry a query string (it may hold a credential such as a SAS token)');
    let value = raw;
    if (options.trailingSlash === 'add' && !value.endsWith('/')) value = `${value}/`;
    if (options.trailingSlash === 'remove') value = value.replace(/\/+$/, '');
    return ok(value);
  };
}

export function integer(min: number, max: number): Parser<number> {
  return (raw) => {
    if (!/^\d+$/.test(raw)) return bad(`must be a whole number from ${min} to ${max}`);
    const value = Number(raw);
    return value >= min && value <= max ? ok(value) : bad(`must be from ${min} to ${max}`);
  };
}

export const decimal: Parser<number> = (raw) =>
  /^\d+(\.\d+)?$/.test(raw) ? ok(Number(raw)) : bad('must be a decimal number of at least 0, e.g. 0.01');

export const boolean: Parser<boolean> = (raw) => {
  const lower = raw.toLowerCase();
  if (lower === 'true' || lower === '1') return ok(true);
  if (lower === 'false' || lower === '0') return ok(false);
  return bad('must be true or false (or 1 or 0)');
};

export function oneOf<const T extends string>(values: readonly T[]): Parser<T> {
  return (raw) => {
    const lower = raw.toLowerCase();
    const match = values.find((value) => value.toLowerCase() === lower);
    return match === undefined ? bad(`must be one of ${values.join(', ')}`) : ok(match);
  };
}

export const approaches: Parser<Approach[]> = (raw) => {
  const items = raw
    .split(',')
    .map((item) => item.trim().toUpperCase())
    .filter((item) => item !== '');
  const unknown = items.filter((item) => item !== 'INVOICE' && item !== 'STOCK');
  if (items.length === 0 || unknown.length > 0) {
    return bad('must be a comma-separated list of INVOICE and/or STOCK, e.g. INVOICE,STOCK');
  }
  return ok([...new Set(items)].filter((item): item is Approach => item === 'INVOICE' || item === 'STOCK'));
};

/** Azure Functions timer schedules: six NCRONTAB fields (seconds first). */
export const schedule: Parser<string> = (raw) => {
  const fields = raw.split(/\s+/);
  return fields.length === 6 && fields.every((field) => /^[0-9A-Za-z*/,-]+$/.test(field))
    ? ok(fields.join(' '))
    : bad(`must be a ${NCRONTAB_HINT} expression, e.g. 0 */15 * * * *`);
};

export const storageAccountName: Parser<string> = (raw) =>
  /^[a-z0-9]{3,24}$/.test(raw) ? ok(raw) : bad('must be a storage account name: 3-24 lower-case letters and digits');

export const managedIdentityCredential: Parser<string> = (raw) =>
  raw.toLowerCase() === 'managedidentity' ? ok('managedidentity') : bad('must be managedidentity');

export const serviceBusNamespace: Parser<string> = (raw) => {
  if (CONNECTION_STRING.test(raw)) return bad(NOT_A_CONNECTION_STRING);
  // The Functions host wants the bare host name; accept a pasted sb:// or https:// URL and strip it.
  const host = raw.replace(/^(sb|https):\/\//i, '').replace(/\/+$/, '');
  return DOMAIN.test(host) ? ok(host) : bad('must be the namespace host name, e.g. contoso.servicebus.windows.net');
};

export const storageConnectionString: Parser<Secret> = (raw) =>
  /^UseDevelopmentStorage=true/i.test(raw) || /(AccountName|TableEndpoint)=/i.test(raw)
    ? ok(new Secret(raw))
    : bad('must be a storage connection string (UseDevelopmentStorage=true for Azurite)');

export const serviceBusConnectionString: Parser<Secret> = (raw) =>
  /Endpoint=sb:\/\//i.test(raw)
    ? ok(new Secret(raw))
    : bad('must be a Service Bus connection string (Endpoint=sb://...)');

export const secret: Parser<Secret> = (raw) => ok(new Secret(raw));

export const tablePrefix: Parser<string> = (raw) =>
  /^([A-Za-z][A-Za-z0-9]{0,29})?$/.test(raw)
    ? ok(raw)
    : bad('must start with a letter and hold only letters and digits (at most 30)');

export const queueName: Parser<string> = (raw) =>
  /^[A-Za-z0-9][A-Za-z0-9._-]{0,259}$/.test(raw)
    ? ok(raw)
    : bad('must be a Service Bus queue name (letters, digits, . _ -)');

export const environmentName: Parser<string> = (raw) =>
  /^[A-Za-z0-9][A-Za-z0-9_-]{0,29}$/.test(raw)
    ? ok(raw)
    : bad('must be a BC environment name (letters, digits, - and _; at most 30)');
