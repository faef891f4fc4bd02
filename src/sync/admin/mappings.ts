/**
 * Operator-maintained mappings (DESIGN §4: a mapping row always overrides a default): list, upsert, delete,
 * CSV import (all-or-nothing, every bad row reported by line number) and CSV export.
 */
import { z } from 'zod';
import type { SyncDeps } from '../deps.js';
import { describeIssues } from '../../core/zod-issues.js';
import { mappingIdentity, mappingKinds, type Mapping, type MappingKind } from '../../core/ports/stores.js';

export { mappingKinds };

export const MappingKindSchema = z.enum(mappingKinds);

/** `resolveVendor` marks "a vendor is being created" with a supplier row whose target starts with this. */
const claimPrefix = 'creating:';
/** Table Storage keys and properties stay well inside their limits. */
const maxValueLength = 250;

const dimensionTarget = /^([^=\s][^=]*)=([^=]+)$/;

/** A mapping as an operator writes it; `toMapping` turns it into the stored, normalised form. */
export const MappingInput = z
  .object({
    kind: MappingKindSchema,
    source: z.string().trim().min(1, 'must not be empty').max(maxValueLength),
    target: z.string().trim().max(maxValueLength),
    note: z.string().trim().max(500).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    const issue = (path: 'source' | 'target', message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    // Blank means "BC's local currency" for currencies only (ports.ts MappingKind).
    if (value.target === '' && value.kind !== 'currency') issue('target', 'must not be empty');
    if (value.kind.startsWith('dimension-') && value.target !== '' && !dimensionTarget.test(value.target)) {
      issue('target', 'must be DIMENSION=VALUE, e.g. AREA=EAST');
    }
    if (value.kind === 'dimension-default' && value.source !== '*')
      issue('source', 'must be * for dimension-default (applies to every invoice)');
    if (value.kind === 'supplier' && value.target.toLowerCase().startsWith(claimPrefix))
      issue('target', `must not start with ${claimPrefix} (reserved)`);
  });
export type MappingInput = z.infer<typeof MappingInput>;

/** What identifies a mapping to delete; the target matters for dimension kinds (one row per dimension). */
export const MappingKey = z
  .object({ kind: MappingKindSchema, source: z.string().trim().min(1, 'must not be empty'), target: z.string().trim() })
  .strict();
export type MappingKey = z.infer<typeof MappingKey>;

/** Normalises what the look-ups compare: supplier ids lower-case, dimension targets `CODE=VALUE` upper-case. */
export function toMapping(input: MappingInput, updatedAt?: string): Mapping {
  const source = input.kind === 'supplier' ? input.source.toLowerCase() : input.source;
  let target = input.target;
  const dimension = input.kind.startsWith('dimension-') ? dimensionTarget.exec(target) : null;
  if (dimension) target = `${(dimension[1] ?? '').trim().toUpperCase()}=${(dimension[2] ?? '').trim().toUpperCase()}`;
  return {
    kind: input.kind,
    source,
    target,
    ...(input.note !== undefined && input.note !== '' ? { note: input.note } : {}),
    ...(updatedAt !== undefined ? { updatedAt } : {}),
  };
}

export function isClaim(mapping: Mapping): boolean {
  return mapping.kind === 'supplier' && mapping.target.startsWith(claimPrefix);
}

export async function listMappings(deps: Pick<SyncDeps, 'stores'>, kind?: MappingKind): Promise<Mapping[]> {
  const all = await deps.stores.mappings.list(kind);
  return [...all].sort(
    (a, b) => a.kind.localeCompare(b.kind) || a.source.localeCompare(b.source) || a.target.localeCompare(b.target),
  );
}

export async function upsertMapping(deps: Pick<SyncDeps, 'stores' | 'clock'>, input: MappingInput): Promise<Mapping> {
  const mapping = toMapping(input, new Date(deps.clock.now()).toISOString());
  await deps.stores.mappings.upsert(mapping);
  return mapping;
}

/** Succeeds when the mapping is already gone (STYLE: delete verbs). */
export async function deleteMapping(deps: Pick<SyncDeps, 'stores'>, key: MappingKey): Promise<Mapping> {
  const mapping = toMapping({ ...key, target: key.target });
  await deps.stores.mappings.delete(mapping);
  return mapping;
}

// ---------------------------------------------------------------------------------------------------------
// CSV

export interface CsvProblem {
  /** 1-based line number in the file (the line a multi-line quoted row starts on). */
  line: number;
  problem: string;
}

export type ParseMappingsCsvResult = { ok: true; mappings: Mapping[] } | { ok: false; problems: CsvProblem[] };

const csvColumns = ['kind', 'source', 'target', 'note'] as const;

/** RFC 4180 rows with the line each starts on; quoted fields may hold commas, quotes ("") and newlines. */
export function parseCsvRows(text: string): {
  rows: Array<{ line: number; fields: string[] }>;
  problems: CsvProblem[];
} {
  const rows: Array<{ line: number; fields: string[] }> = [];
  const problems: CsvProblem[] = [];
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let line = 1;
  let rowLine = 1;
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  const endField = () => {
    fields.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRow = () => {
    endField();
    if (!(fields.length === 1 && fields[0]?.trim() === '')) rows.push({ line: rowLine, fields });
    fields = [];
  };
  for (let i = 0; i < input.length; i += 1) {
    const ch = input[i] ?? '';
    if (quoted) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i += 1;
        } else {
          quoted = false;
        }
      } else {
        if (ch === '\n') line += 1;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && !fieldStarted && field.trim() === '') {
      quoted = true;
      fieldStarted = true;
      field = '';
    } else if (ch === ',') {
      endField();
    } else if (ch === '\r' && input[i + 1] === '\n') {
      // CRLF: the \n ends the row.
    } else if (ch === '\n' || ch === '\r') {
      endRow();
      line += 1;
      rowLine = line;
    } else {
      field += ch;
      if (ch.trim() !== '') fieldStarted = true;
    }
  }
  if (quoted) problems.push({ line: rowLine, problem: 'a quoted field is not closed (missing ")' });
  else endRow();
  return { rows, problems };
}

/** Parses `kind,source,target,note` CSV with a header. Every bad row is reported; nothing is returned then. */
export function parseMappingsCsv(text: string, updatedAt?: string): ParseMappingsCsvResult {
  const { rows, problems } = parseCsvRows(text);
  const [header, ...body] = rows;
  if (!header)
    return {
      ok: false,
      problems: [{ line: 1, problem: `the file is empty: expected a header ${csvColumns.join(',')}` }],
    };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const headerOk = (names.length === 3 || names.length === 4) && names.every((name, i) => name === csvColumns[i]);
  if (!headerOk) {
    problems.push({
      line: header.line,
      problem: `the header must be ${csvColumns.join(',')} (note is optional), found ${header.fields.join(',')}`,
    });
    return { ok: false, problems };
  }
  if (body.length === 0) problems.push({ line: header.line, problem: 'no mappings after the header' });
  const mappings: Mapping[] = [];
  const seen = new Map<string, number>();
  for (const row of body) {
    if (row.fields.length < 3 || row.fields.length > names.length) {
      problems.push({
        line: row.line,
        problem:
          `expected ${names.length === 4 ? '3 or 4' : '3'} columns (${names.join(',')}), ` +
          `found ${row.fields.length}`,
      });
      continue;
    }
    const [kind = '', source = '', target = '', note] = row.fields.map(unguardFormula);
    const parsed = MappingInput.safeParse({
      kind: kind.trim(),
      source,
      target,
      ...(note !== undefined && note.trim() !== '' ? { note } : {}),
    });
    if (!parsed.success) {
      for (const problem of describeIssues(parsed.error, { root: 'row' })) problems.push({ line: row.line, problem });
      continue;
    }
    const mapping = toMapping(parsed.data, updatedAt);
    const identity = `${mapping.kind}\n${mappingIdentity(mapping).toUpperCase()}`;
    const first = seen.get(identity);
    if (first !== undefined) {
      problems.push({
        line: row.line,
        problem:
          `duplicates line ${first} ` +
          `(same kind and source${mapping.kind.startsWith('dimension-') ? ' and dimension' : ''})`,
      });
      continue;
    }
    seen.set(identity, row.line);
    mappings.push(mapping);
  }
  if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
  return { ok: true, mappings };
}

export type ImportMappingsResult =
  { ok: true; imported: number; byKind: Partial<Record<MappingKind, number>> } | { ok: false; problems: CsvProblem[] };

/** Validates the whole file first; writes only when every row is valid. */
export async function importMappingsCsv(
  deps: Pick<SyncDeps, 'stores' | 'clock'>,
  text: string,
): Promise<ImportMappingsResult> {
  const parsed = parseMappingsCsv(text, new Date(deps.clock.now()).toISOString());
  if (!parsed.ok) return parsed;
  const byKind: Partial<Record<MappingKind, number>> = {};
  for (const mapping of parsed.mappings) {
    await deps.stores.mappings.upsert(mapping);
    byKind[mapping.kind] = (byKind[mapping.kind] ?? 0) + 1;
  }
  return { ok: true, imported: parsed.mappings.length, byKind };
}

/**
 * A value a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first), or one that
 * already looks like a guarded value (`'` then one of those or another `'`): export puts a `'` in front, which
 * spreadsheets show as text, and import takes exactly that `'` off again, so a round trip is lossless.
 */
const needsFormulaGuard = /^(?:[=+\-@\t\r]|'[=+\-@\t\r'])/;

function guardFormula(value: string): string {
  return needsFormulaGuard.test(value) ? `'${value}` : value;
}

function unguardFormula(field: string): string {
  return field.startsWith("'") && needsFormulaGuard.test(field.slice(1)) ? field.slice(1) : field;
}

function csvField(value: string): string {
  const guarded = guardFormula(value);
  return /[",\r\n]|^\s|\s$/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/**
 * The mappings as CSV that `importMappingsCsv` reads back unchanged (claims in progress are left out). Values
 * come from Cin7 and BC, so none is written where a spreadsheet would run it as a formula.
 */
export function toMappingsCsv(mappings: readonly Mapping[]): string {
  const lines = [csvColumns.join(',')];
  for (const m of mappings) {
    if (isClaim(m)) continue;
    lines.push([m.kind, m.source, m.target, m.note ?? ''].map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}
