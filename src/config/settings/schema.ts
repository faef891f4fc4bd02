/** The zod schema over the app settings, built row by row from the catalogue. */
import { z } from 'zod';
import { settingRows, type Fields } from './catalogue.js';
import { describeValue } from './describe-value.js';
import type { SettingRow } from './row.js';

function field<T>(row: SettingRow<T>) {
  return z.string().transform((raw, ctx): T => {
    const result = row.parse(raw);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: `${result.problem}${describeValue(raw, row.secret === true)}` });
    return z.NEVER;
  });
}

/** A setting that must be present; the zod "missing" message says what to put there. */
function requiredField<T>(row: SettingRow<T>) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `missing. Set it: ${row.description}` : undefined) })
    .pipe(field(row));
}

function fieldOf(row: SettingRow): z.ZodType {
  if (row.required === 'always') return requiredField(row);
  // A default is filled in before parsing, so only rows without one may be absent.
  return row.default === undefined ? field(row).optional() : field(row);
}

const schema = z.object(Object.fromEntries(settingRows.map(([name, row]) => [name, fieldOf(row)])));

export type ParsedFields = { success: true; data: Fields } | { success: false; error: z.ZodError };

/** Parses the raw values (defaults already applied); the result is typed by the catalogue rows. */
export function parseFields(raw: Record<string, string | undefined>): ParsedFields {
  const result = schema.safeParse(raw);
  // The schema is built from the same rows `Fields` is derived from, so each key holds its row's value type.
  return result.success ? { success: true, data: result.data as Fields } : { success: false, error: result.error };
}
