/** Regenerates the README's settings table from the settings catalogue (`npm run docs:settings`). */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderSettingsTable } from '../../src/config/settings.js';

const path = new URL('../../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8');
const start = '<!-- settings:start -->\n';
const end = '\n<!-- settings:end -->';
const from = readme.indexOf(start);
const to = readme.indexOf(end);
if (from < 0 || to < 0) throw new Error('README.md lacks the settings markers');
writeFileSync(path, `${readme.slice(0, from + start.length)}${renderSettingsTable()}${readme.slice(to)}`);
console.log('README settings table updated');
