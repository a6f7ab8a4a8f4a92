import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ledger/domain';
import { CertificateQueries, type CertificateView, type Page } from '@ledger/read-models';
import { CurrentActor } from '../../platform/auth/current-actor.decorator';
import { certificateFiltersOf, ListCertificatesQuery } from '../dto/certificate-filters.query.dto';
import { ReadQuery } from '../dto/read-query.dto';
import { QueryEndpoint } from '../query-endpoint.decorator';
import { certificateViewerOf } from '../viewers';

@ApiTags('certificates')
@Controller('v1/certificates')
export class CertificatesHttpController {
  constructor(private readonly certificates: CertificateQueries) {}

  @Get()
  @QueryEndpoint('comptroller', 'certifier')
  @ApiOperation({ summary: 'Certificates, filtered, in issue order (a certifier sees its own provider only)' })
  list(@Query() query: ListCertificatesQuery, @CurrentActor() actor: Actor): Promise<Page<CertificateView>> {
    return this.certificates.list(certificateFiltersOf(query), certificateViewerOf(actor), query);
  }

  @Get(':folio')
  @QueryEndpoint('comptroller', 'certifier')
  @ApiOperation({ summary: 'One certificate with holder, standard, provider, evaluator, agency, dates, status and position' })
  byFolio(@Param('folio') folio: string, @Query() _query: ReadQuery, @CurrentActor() actor: Actor): Promise<CertificateView> {
    return this.certificates.byFolio(folio, certificateViewerOf(actor));
  }
}
