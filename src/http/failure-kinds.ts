/**
 * How low-level failures of the Azure SDKs look, shared by the adapters that translate them into our errors
 * (storage, queue): socket-level codes mean "try again", identity errors mean "credentials".
 */

/** Node and SDK codes for a request that never got an answer. */
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'REQUEST_SEND_ERROR',
]);

/** Names of `@azure/identity` errors: the managed identity or credential could not get a token. */
const credentialErrorNames = new Set([
  'CredentialUnavailableError',
  'AuthenticationError',
  'AuthenticationRequiredError',
]);

/** `error.code` or `error.name` when it is a string: SDK errors are not always `Error`s, and not always typed. */
export function stringProperty(error: unknown, key: 'code' | 'name'): string | undefined {
  if (typeof error !== 'object' || error === null || !(key in error)) return undefined;
  const value = (error as Record<typeof key, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

export function isNetworkFailure(error: unknown): boolean {
  const code = stringProperty(error, 'code');
  return code !== undefined && networkCodes.has(code);
}

export function isCredentialFailure(error: unknown): boolean {
  const name = stringProperty(error, 'name');
  return name !== undefined && credentialErrorNames.has(name);
}
