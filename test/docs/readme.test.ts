import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSettingsTable } from '../../src/config/settings.js';

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
