/**
 * The Key Vault secret names (DESIGN §5) and the app setting that may carry each one on a developer machine.
 * Kept apart from `secrets.ts` so that reading settings does not load the Key Vault adapter.
 */

/** The secrets the connector reads from Key Vault. */
export type SecretName =
  'cin7-account-id' | 'cin7-application-key' | 'bc-client-secret' | 'cin7-webhook-secret' | 'bc-client-state';

/** Every secret name, in a stable order. */
export const secretNames: readonly SecretName[] = [
  'cin7-account-id',
  'cin7-application-key',
  'bc-client-secret',
  'cin7-webhook-secret',
  'bc-client-state',
];

/** The app setting that stands in for each secret when no Key Vault is configured (local runs). */
export const secretSettingNames = {
  'cin7-account-id': 'CIN7_ACCOUNT_ID',
  'cin7-application-key': 'CIN7_APPLICATION_KEY',
  'bc-client-secret': 'BC_CLIENT_SECRET',
  'cin7-webhook-secret': 'CIN7_WEBHOOK_SECRET',
  'bc-client-state': 'BC_CLIENT_STATE',
} as const satisfies Readonly<Record<SecretName, string>>;
