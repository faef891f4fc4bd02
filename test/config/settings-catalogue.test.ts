import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { syncSettingsFrom } from '../../src/compose/runtime.js';
import { loadSettings, settingsDocumentation } from '../../src/config/settings.js';
import { defaultMasterDataSettings, defaultSyncSettings } from '../../src/core/settings.js';

/** The settings every run needs, and nothing that has a default. */
const requiredOnly = {
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

describe('settings catalogue', () => {
  it('when no behaviour setting is given, then the use cases get exactly the core defaults', () => {
    const sync = syncSettingsFrom(loadSettings(requiredOnly));

    expect(sync).toEqual({ ...defaultSyncSettings, masterData: defaultMasterDataSettings });
  });

  it('when local.settings.example.json gives a value for a setting with a default, then it is that default', () => {
    const example = JSON.parse(readFileSync(new URL('../../local.settings.example.json', import.meta.url), 'utf8')) as {
      Values: Record<string, string>;
    };

    const differing = settingsDocumentation
      .filter((doc) => doc.default !== undefined)
      .filter((doc) => (example.Values[doc.name] ?? '') !== '' && example.Values[doc.name] !== doc.default)
      .map((doc) => `${doc.name}: example '${example.Values[doc.name]}', default '${doc.default}'`);
    expect(differing).toEqual([]);
  });

  it('when a setting is a secret, then it has no default (a secret never lives in code)', () => {
    expect(settingsDocumentation.filter((doc) => doc.secret === true && doc.default !== undefined)).toEqual([]);
  });
});
