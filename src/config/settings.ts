/**
 * Every app setting the connector reads (DESIGN §5 names, verbatim): the public face of the catalogue in
 * `settings/`, where each setting is one row (requirement, default, description, secret, parser) and the
 * schema, the README table and the setting lists are derived from the rows.
 */
export { ConfigError, isConfigError } from './config-error.js';
export {
  appSettingNames,
  localOnlySettingNames,
  optionalSettingNames,
  settingsDocumentation,
} from './settings/catalogue.js';
export { loadSettings } from './settings/load-settings.js';
export { renderSettingsTable } from './settings/settings-table.js';
export type { Settings } from './settings/to-settings.js';
