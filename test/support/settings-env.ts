/** The settings every local run needs (Azurite, in-process queue, secrets as settings), and nothing with a default. */
export const requiredSettings: Readonly<Record<string, string>> = {
  BC_TENANT_ID: 'contoso.onmicrosoft.com',
  BC_ENVIRONMENT: 'Production',
  BC_COMPANY_ID: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
  BC_CLIENT_ID: '9b2c1d34-5e6f-4a1b-8c9d-0e1f2a3b4c5d',
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  SYNC_QUEUE_MODE: 'memory',
  CIN7_ACCOUNT_ID: 'acct-0001',
  CIN7_APPLICATION_KEY: 'app-key',
  BC_CLIENT_SECRET: 'bc-secret',
};
