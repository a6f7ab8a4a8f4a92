import { Controller, Get, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Actor } from '@ledger/domain';
import { KeptTransparencyReports, renderTransparencyCsv, renderTransparencyJson, type TransparencyReport } from '@ledger/read-models';
import { accessRouteOf } from '../../access-log/access-log.interceptor';
import { AccessLog } from '../../access-log/access-log.service';
import { actorOf } from '../../platform/auth/authenticated-request';
import { correlationIdOf } from '../../platform/logging/correlation-id';
import { CurrentActor } from '../../platform/auth/current-actor.decorator';
import type { IncomingMessage } from 'node:http';
import type { HttpResponse } from '../../platform/http/http-types';
import { TransparencyReportQuery } from '../dto/certificate-filters.query.dto';
import { TRANSPARENCY_CSV_SCHEMA, TransparencyReportResponse } from '../dto/transparency-report.response';
import { QueryAnswer, QueryEndpoint } from '../query-endpoint.decorator';
import { QueryParameters } from '../read-your-writes.pipe';
import { REPORT_CONTENT_TYPES, transparencyReportAsked, transparencyReportHeaders, transparencyReportRequest } from '../transparency-report-answer';

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
    private readonly reports: KeptTransparencyReports,
    private readonly accessLog: AccessLog,
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
    const asked = transparencyReportAsked(query);
    const answer = await this.reports.answer(transparencyReportRequest(asked, actor), asked.format);
    const report = 'rendered' in answer ? answer.rendered : answer.streamed;
    response.setHeader('Content-Type', REPORT_CONTENT_TYPES[asked.format]);
    const headers = transparencyReportHeaders(report, asked.format);
    for (let i = 0; i < headers.length; i += 2) response.setHeader(headers[i], headers[i + 1]);
    if ('rendered' in answer) {
      // A small report, whole: its reads recorded before any of it is sent (the access log's 503 otherwise), sent as
      // Express sends a body (its length and ETag, a 304 to a conditional request that has it).
      this.accessLog.record({ ...this.readOf(response), subjectIds: answer.rendered.holders });
      response.status(200).send(answer.rendered.body);
      return;
    }
    response.status(200);
    // Streamed: a report of any size goes out in bounded memory, chunk by chunk.
    const recorded = this.recordingReads(answer.streamed, response);
    try {
      for await (const piece of asked.format === 'csv' ? renderTransparencyCsv(recorded) : renderTransparencyJson(recorded)) {
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

  private readOf(response: HttpResponse) {
    const request = (response as HttpResponse & { req: IncomingMessage }).req;
    return { actor: actorOf(request), route: accessRouteOf(request), correlationId: correlationIdOf(request) };
  }

  /**
   * The report with each chunk's holders recorded in the access log before
   * the chunk is rendered: one entry per chunk (up to 5,000 subjects), so a
   * report of any size is recorded in bounded memory, and a chunk the log
   * cannot take is never sent (the first: a 503; a later one: a cut answer).
   */
  private recordingReads(report: TransparencyReport, response: HttpResponse): TransparencyReport {
    const { accessLog } = this;
    const read = this.readOf(response);
    return {
      ...report,
      async *chunks() {
        for await (const chunk of report.chunks()) {
          accessLog.record({ ...read, subjectIds: chunk.holders });
          yield chunk;
        }
      },
    };
  }
}
