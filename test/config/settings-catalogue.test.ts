import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { syncSettingsFrom } from '../../src/compose/runtime.js';
import { loadSettings, settingsDocumentation } from '../../src/config/settings.js';
import { defaultMasterDataSettings, defaultSyncSettings } from '../../src/core/settings.js';
import { requiredSettings } from '../support/settings-env.js';

describe('settings catalogue', () => {
  it('when no behaviour setting is given, then the use cases get exactly the core defaults', () => {
    const sync = syncSettingsFrom(loadSettings(requiredSettings));

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
