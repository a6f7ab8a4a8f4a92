import { stringify } from 'csv-stringify/sync';
import type { TransparencyReport, TransparencyReportRow } from './transparency-report';

/**
 * The JSON report, written piece by piece with a fixed key order, so that it
 * streams and the same report always gives the same bytes.
 */
export async function* renderTransparencyJson(report: TransparencyReport): AsyncIterable<string> {
  const head = { asOf: report.asOf, position: report.position, totals: report.totals };
  yield `${JSON.stringify(head).slice(0, -1)},"certificates":[`;
  let first = true;
  for await (const chunk of report.chunks()) {
    const rows = chunk.rows.map((row) => JSON.stringify(row)).join(',');
    yield first ? rows : `,${rows}`;
    first = false;
  }
  yield ']}';
}

export const CSV_COLUMNS = [
  'folio',
  'holderName',
  'standardCode',
  'providerId',
  'agency',
  'state',
  'municipality',
  'employment',
  'issuedAt',
  'validUntil',
  'status',
] as const;

/**
 * The CSV report: UTF-8, a header line, then one line per certificate with the
 * JSON report's fields. It starts with a byte order mark, without which common
 * spreadsheets read UTF-8 as a legacy code page and garble "Juárez" or "Núñez".
 */
export async function* renderTransparencyCsv(report: TransparencyReport): AsyncIterable<string> {
  yield stringify([CSV_COLUMNS as unknown as string[]], { record_delimiter: 'unix', bom: true });
  for await (const chunk of report.chunks()) {
    yield stringify(chunk.rows.map(csvRecord), { record_delimiter: 'unix' });
  }
}

function csvRecord(row: TransparencyReportRow): (string | null)[] {
  return [
    row.folio,
    row.holderName,
    row.standardCode,
    row.providerId,
    row.agency,
    row.jurisdiction.state,
    row.jurisdiction.municipality,
    row.employment,
    row.issuedAt,
    row.validUntil,
    row.status,
  ];
}
