/** The README's settings table (Markdown), rendered from the catalogue so the two cannot drift. */
import { settingsDocumentation } from './catalogue.js';
import type { SettingRequirement } from './row.js';

const requirement: Record<SettingRequirement, string> = {
  always: 'yes',
  azure: 'in Azure',
  local: 'locally (Key Vault in Azure)',
  no: 'no',
};

const cell = (text: string): string => text.replace(/\|/g, '\\|');

export function renderSettingsTable(): string {
  const rows = settingsDocumentation.map((doc) => {
    const fallback = doc.default === undefined ? '' : doc.default === '' ? "`''`" : `\`${doc.default}\``;
    const secret = doc.secret === true ? ' Secret.' : '';
    return `| \`${doc.name}\` | ${requirement[doc.required]} | ${cell(fallback)} | ${cell(doc.description)}${secret} |`;
  });
  return ['| setting | required | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
