import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { renderTransparencyCsv, renderTransparencyJson, TransparencyReports } from '@ledger/read-models';
import type { HttpResponse } from '../../platform/http/http-types';
import { certificateFiltersOf, TransparencyReportQuery } from '../dto/certificate-filters.query.dto';
import { QueryEndpoint } from '../query-endpoint.decorator';

@ApiTags('reports')
@Controller('v1/reports')
export class ReportsHttpController {
  constructor(private readonly reports: TransparencyReports) {}

  @Get('transparency')
  @QueryEndpoint('comptroller')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: 'Certificates and counts as they stood on asOf, as the ledger knew them at atPosition; never a CURP',
    description:
      'The same parameters always give the same bytes. JSON names asOf and position in the body; CSV (UTF-8, a header line) ' +
      'in the X-Report-As-Of and X-Report-Position headers and the file name.',
  })
  async transparency(@Query() query: TransparencyReportQuery, @Res() response: HttpResponse): Promise<void> {
    const report = await this.reports.prepare({
      asOf: query.asOf ?? '',
      atPosition: query.atPosition === undefined ? undefined : BigInt(query.atPosition),
      filters: certificateFiltersOf(query),
    });
    const csv = query.format === 'csv';
    response.setHeader('Content-Type', csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
    response.setHeader('X-Report-As-Of', report.asOf);
    response.setHeader('X-Report-Position', report.position);
    if (csv) response.setHeader('Content-Disposition', `attachment; filename="transparency-${report.asOf.slice(0, 10)}-p${report.position}.csv"`);
    response.status(200);
    // Streamed: a report of any size goes out in bounded memory, chunk by chunk.
    for await (const piece of csv ? renderTransparencyCsv(report) : renderTransparencyJson(report)) {
      if (!response.write(piece)) await new Promise((resolve) => response.once('drain', resolve));
    }
    response.end();
  }
}
