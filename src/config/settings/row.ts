/**
 * The shape of one catalogue row: everything the app knows about one setting, so the zod schema, the README
 * table, the example file's completeness and the defaults are all read from the same place.
 */

/**
 * When a setting must be set: `always`; `azure` (a deployment in Azure must set it); `local` (only on a
 * developer machine, where there is no Key Vault or managed identity: never set these in Azure); `no`
 * (it has a default or is optional).
 */
export type SettingRequirement = 'always' | 'azure' | 'local' | 'no';

/** A parser's answer: the typed value, or what is wrong and what to do (never the value itself). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };
export type Parser<T> = (raw: string) => Parsed<T>;

/** One setting. Its name is the catalogue key (DESIGN §5, verbatim). */
export interface SettingRow<T = unknown> {
  readonly required: SettingRequirement;
  /** The value used when the setting is absent or blank, as it would be written in the app settings. */
  readonly default?: string;
  readonly description: string;
  /** The value is a secret: never logged or echoed in errors. */
  readonly secret?: true;
  /** Turns the (trimmed, non-blank) text into the typed value. */
  readonly parse: Parser<T>;
}

/** One row of the settings table in the README: a catalogue row with its name and without its parser. */
export interface SettingDocumentation {
  readonly name: string;
  readonly required: SettingRequirement;
  readonly default?: string;
  readonly description: string;
  readonly secret?: true;
}

/** A row always yields a value when it is required everywhere or has a default; otherwise it may be absent. */
type ValueOf<R> =
  R extends SettingRow<infer T> ? (R extends { required: 'always' } | { default: string } ? T : T | undefined) : never;

/** The parsed values of a catalogue, typed row by row. */
export type FieldsOf<C> = { [K in keyof C]: ValueOf<C[K]> };
