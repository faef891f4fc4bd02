/**
 * The settings catalogue: one row per app setting the connector reads (DESIGN §5 names, verbatim), in the
 * order of the README table. The zod schema (`schema.ts`), the README table (`settings-table.ts`), the
 * lists the infra test checks and the completeness test of `local.settings.example.json` all read it.
 * A new setting is one row here plus the line in `to-settings.ts` that hands it to its user.
 */
import { azureRows, bcRows, cin7Rows } from './catalogue-connections.js';
import { behaviourRows, masterDataRows, scheduleRows } from './catalogue-behaviour.js';
import type { FieldsOf, SettingDocumentation, SettingRow } from './row.js';

export const settingsCatalogue = {
  ...cin7Rows,
  ...bcRows,
  ...azureRows,
  ...behaviourRows,
  ...scheduleRows,
  ...masterDataRows,
};

/** Every setting's parsed value, typed by its row: absent only where the row has no default. */
export type Fields = FieldsOf<typeof settingsCatalogue>;

/** The rows with their names, in catalogue order. */
export const settingRows: ReadonlyArray<readonly [string, SettingRow]> = Object.entries(settingsCatalogue);

/** Every setting the app reads, with its requirement, default and meaning (the README table's rows). */
export const settingsDocumentation: readonly SettingDocumentation[] = settingRows.map(([name, row]) => ({
  name,
  required: row.required,
  ...(row.default === undefined ? {} : { default: row.default }),
  description: row.description,
  ...(row.secret === true ? { secret: true as const } : {}),
}));

const namesWhere = (keep: (row: SettingRow) => boolean): readonly string[] =>
  settingRows.filter(([, row]) => keep(row)).map(([name]) => name);

/** The settings a deployment in Azure must set: they have no default (`always` and `azure` rows). */
export const appSettingNames = namesWhere((row) => row.required === 'always' || row.required === 'azure');

/** The settings that have a documented default or are optional (`no` rows). */
export const optionalSettingNames = namesWhere((row) => row.required === 'no');

/** Settings for developer machines only (secrets and connection strings): never set them in Azure. */
export const localOnlySettingNames = namesWhere((row) => row.required === 'local');
