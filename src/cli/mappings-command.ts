/** `mappings import <file.csv> | export [--kind K] | suggest`. */
import { readFile } from 'node:fs/promises';
import { importMappingsCsv, listMappings, toMappingsCsv } from '../sync/admin/mappings.js';
import type { MappingKind } from '../core/ports/stores.js';
import { suggestMappings } from '../sync/admin/suggest.js';
import { CliError, exitCodes, type CliIo, type CliSession, type ExitCode, writeJson } from './cli-context.js';

export async function importCommand(
  session: CliSession,
  io: CliIo,
  file: string,
  flags: { json: boolean },
): Promise<ExitCode> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}; check the path`,
      exitCodes.usage,
    );
  }
  const result = await importMappingsCsv(session.deps, text);
  if (!result.ok) {
    if (flags.json)
      writeJson(io, { command: 'mappings import', ok: false, problems: result.problems, exitCode: exitCodes.usage });
    io.stderr.write(
      `error: ${file} was not imported (nothing was written): ${result.problems.length} problem(s); ` +
        'fix them and import again\n',
    );
    for (const p of result.problems) io.stderr.write(`  line ${p.line}: ${p.problem}\n`);
    return exitCodes.usage;
  }
  if (flags.json) {
    writeJson(io, { command: 'mappings import', ...result, exitCode: exitCodes.ok });
  } else {
    const kinds = Object.entries(result.byKind)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', ');
    io.stdout.write(`Imported ${result.imported} mapping(s) from ${file}${kinds ? ` (${kinds})` : ''}.\n`);
  }
  return exitCodes.ok;
}

export async function exportCommand(session: CliSession, io: CliIo, kind: MappingKind | undefined): Promise<ExitCode> {
  const mappings = await listMappings(session.deps, kind);
  io.stdout.write(toMappingsCsv(mappings));
  return exitCodes.ok;
}

export async function suggestCommand(session: CliSession, io: CliIo, flags: { json: boolean }): Promise<ExitCode> {
  const suggestions = await suggestMappings(session.deps, { progress: session.progress });
  if (flags.json) {
    writeJson(io, { command: 'mappings suggest', suggestions, exitCode: exitCodes.ok });
    return exitCodes.ok;
  }
  const fresh = suggestions.filter((s) => !s.coveredByDefault);
  const covered = suggestions.length - fresh.length;
  if (fresh.length === 0) {
    session.progress(`no new mappings to suggest (${covered} value(s) already match by the default rules)`);
    io.stdout.write(toMappingsCsv([]));
    return exitCodes.ok;
  }
  // Valid import CSV on stdout (the reason as the note), so an operator can edit the file and import it.
  session.progress(
    `${fresh.length} suggestion(s), nothing saved: ` +
      'keep the rows you agree with and run cin7-bc mappings import <file.csv>',
  );
  const rows = fresh.map((s) => ({
    kind: s.kind,
    source: s.source,
    target: s.target,
    note:
      `${s.confidence}: ${s.reason}` +
      `${s.sourceName ? `; Cin7 "${s.sourceName}"` : ''}${s.targetName ? ` -> BC "${s.targetName}"` : ''}`,
  }));
  io.stdout.write(toMappingsCsv(rows));
  session.progress(`${covered} more value(s) already match by the default rules`);
  return exitCodes.ok;
}
