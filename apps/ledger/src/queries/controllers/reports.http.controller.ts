import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Actor } from '@ledger/domain';
import type { DataSource } from 'typeorm';
import { renderTransparencyCsv, renderTransparencyJson, TransparencyReports, type TransparencyReport } from '@ledger/read-models';
import { accessRouteOf } from '../../access-log/access-log.interceptor';
import { AccessLog } from '../../access-log/access-log.service';
import { subjectsOfCertificates } from '../../access-log/report-subjects';
import { actorOf } from '../../platform/auth/authenticated-request';
import { correlationIdOf } from '../../platform/logging/correlation-id';
import { CurrentActor } from '../../platform/auth/current-actor.decorator';
import type { IncomingMessage } from 'node:http';
import type { HttpResponse } from '../../platform/http/http-types';
import { certificateFiltersOf, TransparencyReportQuery } from '../dto/certificate-filters.query.dto';
import { TRANSPARENCY_CSV_SCHEMA, TransparencyReportResponse } from '../dto/transparency-report.response';
import { QueryAnswer, QueryEndpoint } from '../query-endpoint.decorator';
import { QueryParameters } from '../read-your-writes.pipe';
import { READ_MODELS } from '../read-side.tokens';
import { certificateViewerOf } from '../viewers';

const REPORT_HEADERS = {
  'X-Report-As-Of': { description: 'The asOf the report describes (also in the JSON body)', schema: { type: 'string', example: '2018-11-13' } },
  'X-Report-Position': { description: 'The position the report was computed at (also in the JSON body)', schema: { type: 'string', example: '1042' } },
  'Content-Disposition': {
    description: 'CSV only: an attachment named after asOf and the position',
    schema: { type: 'string', example: 'attachment; filename="transparency-2018-11-13-p1042.csv"' },
  },
};

@ApiTags('reports')
@ApiExtraModels(TransparencyReportResponse)
@Controller('v1/reports')
export class ReportsHttpController {
  constructor(
    private readonly reports: TransparencyReports,
    private readonly accessLog: AccessLog,
    @Inject(READ_MODELS) private readonly readModels: DataSource,
  ) {}

  @Get('transparency')
  @QueryEndpoint('comptroller')
  @QueryAnswer({
    description: 'The report, in the format asked for',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(TransparencyReportResponse) } },
      'text/csv': { schema: TRANSPARENCY_CSV_SCHEMA },
    },
    headers: REPORT_HEADERS,
  })
  @ApiOperation({
    operationId: 'getTransparencyReport',
    summary: 'Certificates and counts as they stood on asOf, as the ledger knew them at atPosition; never a CURP',
    description:
      'The same parameters always give the same bytes. JSON names asOf and position in the body; CSV (UTF-8, a header line) ' +
      'in the X-Report-As-Of and X-Report-Position headers and the file name.',
  })
  async transparency(@QueryParameters() query: TransparencyReportQuery, @Res() response: HttpResponse, @CurrentActor() actor: Actor): Promise<void> {
    const report = await this.reports.prepare({
      asOf: query.asOf ?? '',
      atPosition: query.atPosition === undefined ? undefined : BigInt(query.atPosition),
      filters: certificateFiltersOf(query),
      // A scoped comptroller's report is the report of its state: the same bytes as everyone's report filtered by that state.
      viewer: certificateViewerOf(actor),
    });
    const csv = query.format === 'csv';
    response.setHeader('Content-Type', csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
    response.setHeader('X-Report-As-Of', report.asOf);
    response.setHeader('X-Report-Position', report.position);
    if (csv) response.setHeader('Content-Disposition', `attachment; filename="transparency-${report.asOf.slice(0, 10)}-p${report.position}.csv"`);
    response.status(200);
    // Streamed: a report of any size goes out in bounded memory, chunk by chunk.
    const recorded = this.recordingReads(report, response);
    try {
      for await (const piece of csv ? renderTransparencyCsv(recorded) : renderTransparencyJson(recorded)) {
        if (!response.write(piece)) await new Promise((resolve) => response.once('drain', resolve));
      }
    } catch (error) {
      // Once bytes are out, a failure (the access log refusing a later chunk) can only cut the answer short:
      // the client sees a broken response, never a complete report whose reads went unrecorded.
      if (!response.headersSent) throw error;
      response.destroy(error instanceof Error ? error : undefined);
      return;
    }
    response.end();
  }

  /**
   * The report with each chunk's holders recorded in the access log before
   * the chunk is rendered: one entry per chunk (up to 5,000 subjects), so a
   * report of any size is recorded in bounded memory, and a chunk the log
   * cannot take is never sent (the first: a 503; a later one: a cut answer).
   */
  private recordingReads(report: TransparencyReport, response: HttpResponse): TransparencyReport {
    const { accessLog, readModels } = this;
    const request = (response as HttpResponse & { req: IncomingMessage }).req;
    const read = { actor: actorOf(request), route: accessRouteOf(request), correlationId: correlationIdOf(request) };
    return {
      ...report,
      async *chunks() {
        for await (const rows of report.chunks()) {
          accessLog.record({ ...read, subjectIds: await subjectsOfCertificates(readModels, rows.map((row) => row.folio)) });
          yield rows;
        }
      },
    };
  }
}
