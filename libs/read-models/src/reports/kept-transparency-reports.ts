import { AnswerCache, type ReadModelChanges } from '../answer-cache';
import { renderTransparencyCsv, renderTransparencyJson } from './transparency-report.render';
import { REPORT_PROJECTIONS, type TransparencyReport, type TransparencyReportRequest, type TransparencyReports } from './transparency-report';

export type TransparencyReportFormat = 'json' | 'csv';

/** A report read and rendered whole: its bytes, and the holders it shows (what the access log records for it). */
export interface RenderedTransparencyReport {
  readonly asOf: string;
  readonly position: string;
  readonly body: string;
  readonly holders: readonly string[];
}

/** A report answered: rendered whole when it is less than a chunk, or to be streamed chunk by chunk. */
export type TransparencyReportAnswer = { readonly rendered: RenderedTransparencyReport } | { readonly streamed: TransparencyReport };

export interface KeptTransparencyReportsOptions {
  /** The read side's checkpoint notifications: what tells a kept report from a stale one. */
  readonly changes?: ReadModelChanges;
  /** Reports of up to this many certificates are kept. */
  readonly maxKeptRows: number;
  /** What the kept reports may hold together, in bytes of memory (their bodies and holders' ids, as estimated); 0 keeps none. */
  readonly maxBytes: number;
}

/** A kept answer as AnswerCache holds it: a rendered report, or (never kept) the report to stream. */
interface Answer {
  readonly position: string;
  readonly rendered?: RenderedTransparencyReport;
  readonly streamed?: TransparencyReport;
}

/** What a holder's id costs a kept report beside its body (a UUID's 36 bytes, the string's header, the list's slot). */
const HOLDER_BYTES = 64;

/** A report's memory as kept: its body (V8 holds a string of Latin-1 characters in a byte each, any other in two), its holders. */
function bytesOf({ rendered }: Answer): number {
  if (!rendered) return 0;
  const perCharacter = /[^\u0000-\u00ff]/.test(rendered.body) ? 2 : 1;
  return rendered.body.length * perCharacter + rendered.holders.length * HOLDER_BYTES;
}

/**
 * Transparency reports as the HTTP route answers them. A report of less
 * than a chunk (5,000 certificates) is read whole by its first statement,
 * and so is rendered whole (its length and ETag known, so the fast lane can
 * send it); one of up to `maxKeptRows` (a dashboard's page: one day of an
 * agency in a state) is also kept while nothing it was read from can have
 * changed (AnswerCache: no checkpoint since, no projection known to be
 * further), within `maxBytes` in all: a report depends on its parameters
 * and its position only, never on the clock, so the kept bytes are the
 * bytes it would be rendered to again. Larger reports stream, chunk by
 * chunk. A report asked at an earlier position (`atPosition`, to reproduce
 * one published before) is not kept: it is asked once, and would only push
 * out the reports dashboards ask again and again.
 */
export class KeptTransparencyReports {
  private readonly kept?: AnswerCache<Answer>;

  constructor(
    private readonly reports: TransparencyReports,
    private readonly options: KeptTransparencyReportsOptions,
  ) {
    if (options.changes && options.maxBytes > 0) {
      this.kept = new AnswerCache<Answer>(options.changes, REPORT_PROJECTIONS, Number.MAX_SAFE_INTEGER, { max: options.maxBytes, of: bytesOf });
    }
  }

  async answer(request: TransparencyReportRequest, format: TransparencyReportFormat): Promise<TransparencyReportAnswer> {
    // Checked before the kept reports are looked at, which waits for read-your-writes first.
    const reading = this.reports.checked(request);
    const read = async (): Promise<Answer> => {
      const report = await reading();
      if (!report.whole) return { position: report.position, streamed: report };
      return { position: report.position, rendered: await renderWhole(report, format) };
    };
    const worthKeeping = ({ rendered }: Answer) => rendered !== undefined && rendered.holders.length <= this.options.maxKeptRows && request.atPosition === undefined;
    const answer = this.kept ? await this.kept.answer(keyOf(request, format), read, undefined, worthKeeping) : await read();
    return answer.rendered ? { rendered: answer.rendered } : { streamed: answer.streamed as TransparencyReport };
  }
}

async function renderWhole(report: TransparencyReport, format: TransparencyReportFormat): Promise<RenderedTransparencyReport> {
  const holders: string[] = [];
  const counted: TransparencyReport = {
    ...report,
    async *chunks() {
      for await (const chunk of report.chunks()) {
        holders.push(...chunk.holders);
        yield chunk;
      }
    },
  };
  let body = '';
  for await (const piece of format === 'csv' ? renderTransparencyCsv(counted) : renderTransparencyJson(counted)) body += piece;
  return { asOf: report.asOf, position: report.position, body, holders };
}

/** Equal requests, equal keys: the request as the route read it (asOf as given, the position asked for, filters, who asks). */
function keyOf(request: TransparencyReportRequest, format: TransparencyReportFormat): string {
  return JSON.stringify([format, request.asOf, request.atPosition?.toString() ?? null, request.filters, request.viewer ?? null]);
}
