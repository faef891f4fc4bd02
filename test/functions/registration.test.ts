import { describe, expect, it } from 'vitest';
import { settingsDocumentation } from '../../src/config/settings.js';
import {
  lazyHandler,
  registrationDefaults,
  registrationSetting,
  type RegistrationSettingName,
} from '../../src/functions/registration.js';

describe('registration settings', () => {
  it.each(Object.keys(registrationDefaults) as RegistrationSettingName[])(
    'when %s is registered from its default, then the default is the settings catalogue’s',
    (name) => {
      const documented = settingsDocumentation.find((setting) => setting.name === name);
      expect(documented?.default).toBe(registrationDefaults[name]);
    },
  );

  it('when the setting is set, then registration uses its trimmed value', () => {
    expect(registrationSetting('POLL_CIN7_SCHEDULE', { POLL_CIN7_SCHEDULE: ' 0 */5 * * * * ' })).toBe('0 */5 * * * *');
  });

  it('when the setting is blank, then registration uses the documented default', () => {
    expect(registrationSetting('SYNC_QUEUE_NAME', { SYNC_QUEUE_NAME: '  ' })).toBe('sync-jobs');
  });
});

describe('lazyHandler', () => {
  it('when invoked twice, then the module is loaded once and each call reaches the real handler', async () => {
    let loads = 0;
    const handler = lazyHandler(
      () => {
        loads += 1;
        return Promise.resolve({ double: (n: number) => Promise.resolve(n * 2) });
      },
      (m) => m.double,
    );
    expect(loads).toBe(0);
    await expect(handler(2)).resolves.toBe(4);
    await expect(handler(5)).resolves.toBe(10);
    expect(loads).toBe(1);
  });

  it('when the first load fails, then that invocation fails and the next one loads again', async () => {
    let loads = 0;
    const handler = lazyHandler(
      () => {
        loads += 1;
        return loads === 1
          ? Promise.reject(new Error('chunk missing'))
          : Promise.resolve({ echo: (s: string) => Promise.resolve(s) });
      },
      (m) => m.echo,
    );
    await expect(handler('a')).rejects.toThrow('chunk missing');
    await expect(handler('b')).resolves.toBe('b');
    expect(loads).toBe(2);
  });
});
