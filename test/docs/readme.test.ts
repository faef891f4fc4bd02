import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSettings, renderSettingsTable, settingsDocumentation } from '../../src/config/settings.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('when settings change, then the README settings table is regenerated (npm run docs:settings)', () => {
    const start = readme.indexOf('<!-- settings:start -->\n');
    const end = readme.indexOf('\n<!-- settings:end -->');
    expect(start).toBeGreaterThan(0);
    expect(readme.slice(start + '<!-- settings:start -->\n'.length, end).trim()).toBe(renderSettingsTable().trim());
  });

  it('when a reader looks for the two commands, then the demo and test commands are there', () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm ci && npm test');
  });
});

describe('local.settings.example.json', () => {
  const example = JSON.parse(readFileSync(new URL('../../local.settings.example.json', import.meta.url), 'utf8')) as {
    Values: Record<string, string>;
  };

  it('when a setting is added to the app, then the example lists it too', () => {
    for (const doc of settingsDocumentation) expect(Object.keys(example.Values), doc.name).toContain(doc.name);
  });

  it('when the placeholders are filled with sample values, then the settings load (the example is coherent)', () => {
    const filled = Object.fromEntries(
      Object.entries(example.Values).map(([name, value]) => {
        const samples: Record<string, string> = {
          BC_TENANT_ID: 'contoso.onmicrosoft.com',
          BC_COMPANY_ID: '5d115c9c-44e3-ea11-bb43-000d3a2feca1',
          BC_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
          ServiceBusConnection__fullyQualifiedNamespace: 'contoso.servicebus.windows.net',
        };
        return [name, samples[name] ?? (value.startsWith('<') ? 'sample-value' : value)];
      }),
    );
    expect(() => loadSettings(filled)).not.toThrow();
  });
});
