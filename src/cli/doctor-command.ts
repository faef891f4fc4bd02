/** `doctor`: proves both connections and lists every Cin7 value that has no mapping or default match yet. */
import { runDoctor, type DoctorGap, type DoctorReport } from '../sync/admin/doctor.js';
import { formatAge } from '../sync/admin/stuck-records.js';
import { exitCodes, type CliIo, type CliSession, type ExitCode, writeJson } from './cli-context.js';

function exitCodeOf(report: DoctorReport): ExitCode {
  if (!report.connected) {
    const configOnly = report.bc.kind === 'config' && report.cin7.ok;
    return configOnly ? exitCodes.usage : exitCodes.connection;
  }
  // Optional gaps (a location or category without a dimension rule) do not stop any invoice: exit 0.
  return report.blockingGapCount > 0 || report.stuckRecords.records.length > 0 ? exitCodes.attention : exitCodes.ok;
}

function describeGaps(report: DoctorReport): string[] {
  if (report.gapCount === 0)
    return ['No gaps: every Cin7 account code, tax rule, supplier, location and category resolves.'];
  const optional = report.gapCount - report.blockingGapCount;
  const out = [
    report.blockingGapCount === 0
      ? `No blocking gaps: invoices can sync unattended. ${optional} optional gap(s):`
      : `${report.blockingGapCount} blocking gap(s) to close before invoices can sync unattended` +
        `${optional > 0 ? `, and ${optional} optional` : ''}:`,
  ];
  const section = (title: string, gaps: DoctorGap[]) => {
    if (gaps.length === 0) return;
    const kind = gaps.every((gap) => gap.blocking)
      ? 'blocking: invoices using them park as needs-mapping'
      : 'optional: invoices post without the dimension';
    out.push(`  ${title} (${gaps.length}, ${kind}):`);
    for (const gap of gaps)
      out.push(`    ${gap.source}${gap.name ? `  "${gap.name}"` : ''}: ${gap.reason} [map with kind ${gap.fix}]`);
  };
  section('account codes', report.gaps.accounts);
  section('tax rules', report.gaps.taxRules);
  section('suppliers', report.gaps.suppliers);
  section('locations', report.gaps.locations);
  section('categories', report.gaps.categories);
  out.push('Close them with `cin7-bc mappings suggest` and `cin7-bc mappings import <file.csv>`.');
  return out;
}

export async function doctorCommand(session: CliSession, io: CliIo, flags: { json: boolean }): Promise<ExitCode> {
  const report = await runDoctor(session.deps, {
    companyId: session.settings.bc.companyId,
    progress: session.progress,
  });
  const exitCode = exitCodeOf(report);
  if (flags.json) {
    writeJson(io, { command: 'doctor', ...report, exitCode });
    return exitCode;
  }
  const out: string[] = [];
  const bc = report.bc;
  if (bc.ok || bc.companies.length > 0) {
    const companies = bc.companies
      .map((c) => `${c.name}${c.id.toLowerCase() === bc.configuredCompany.id.toLowerCase() ? ' (configured)' : ''}`)
      .join(', ');
    const companyCount = `${bc.companies.length} compan${bc.companies.length === 1 ? 'y' : 'ies'}`;
    const currency = bc.localCurrency ? `; local currency ${bc.localCurrency}` : '';
    out.push(`Business Central: ${bc.ok ? 'connected' : 'NOT READY'}; ${companyCount}: ${companies}${currency}`);
  }
  if (!bc.ok) out.push(`Business Central: FAILED: ${bc.error ?? 'unknown error'}`);
  out.push(
    report.cin7.ok
      ? `Cin7 Core: connected to ${report.cin7.company ?? 'the account'}` +
          `${report.cin7.currency ? ` (base currency ${report.cin7.currency})` : ''}`
      : `Cin7 Core: FAILED: ${report.cin7.error ?? 'unknown error'}`,
  );
  if (report.counts) {
    const { cin7, bc: b } = report.counts;
    out.push(
      `Cin7: ${cin7.suppliers} suppliers, ${cin7.accounts} accounts, ${cin7.taxRules} tax rules, ` +
        `${cin7.locations} locations, ${cin7.categories} categories`,
    );
    out.push(
      `BC:   ${b.vendors} vendors, ${b.items} items, ${b.accounts} G/L accounts, ` +
        `${b.dimensions} dimensions (${b.dimensionValues} values), ${b.taxGroups} tax groups`,
    );
  }
  if (report.connected) out.push('', ...describeGaps(report));
  const stuck = report.stuckRecords;
  if (stuck.records.length > 0) {
    out.push('');
    out.push(
      `${stuck.records.length} record(s) stuck in creating/created for more than ${stuck.thresholdMinutes} min ` +
        '(STUCK_RECORD_MINUTES), oldest first:',
    );
    for (const r of stuck.records)
      out.push(
        `  ${r.recordType} ${r.label}: ${r.state} for ${formatAge(r.ageMinutes)} ` +
          `[replay ${r.recordType} ${r.recordId}]`,
      );
    out.push('Look at each one in BC (its draft may exist), then `cin7-bc replay <type> <id>` settles it.');
  }
  io.stdout.write(`${out.join('\n')}\n`);
  return exitCode;
}
