import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ledger/domain';
import { CertificateQueries, type CertificateView, type Page } from '@ledger/read-models';
import { RecordsAccess } from '../../access-log/access-log.interceptor';
import { FolioPipe } from '../../commands/shared/route-params';
import { CurrentActor } from '../../platform/auth/current-actor.decorator';
import { FOLIO_PARAM } from '../../platform/openapi/route-parameters';
import { CertificatePageResponse, CertificateViewResponse } from '../dto/certificate.response';
import { certificateFiltersOf, ListCertificatesQuery } from '../dto/certificate-filters.query.dto';
import { ReadQuery } from '../dto/read-query.dto';
import { QueryAnswer, QueryEndpoint } from '../query-endpoint.decorator';
import { QueryParameters } from '../read-your-writes.pipe';
import { certificateViewerOf } from '../viewers';

@ApiTags('certificates')
@Controller('v1/certificates')
export class CertificatesHttpController {
  constructor(private readonly certificates: CertificateQueries) {}

  @Get()
  @RecordsAccess((page: Page<CertificateView>) => page.items.map((certificate) => certificate.subjectId))
  @QueryEndpoint('comptroller', 'certifier')
  @QueryAnswer({ type: CertificatePageResponse, description: 'A page of certificates in issue order' })
  @ApiOperation({ operationId: 'listCertificates', summary: 'Certificates, filtered, in issue order (a certifier sees its own provider only)' })
  list(@QueryParameters() query: ListCertificatesQuery, @CurrentActor() actor: Actor): Promise<Page<CertificateView>> {
    return this.certificates.list({ ...certificateFiltersOf(query), printedFolio: query.printedFolio }, certificateViewerOf(actor), query);
  }

  @Get(':folio')
  @ApiParam(FOLIO_PARAM)
  @RecordsAccess((certificate: CertificateView) => [certificate.subjectId])
  @QueryEndpoint('comptroller', 'certifier')
  @QueryAnswer({
    type: CertificateViewResponse,
    description: 'The certificate',
    notFound: "CERTIFICATE_NOT_FOUND: no certificate with this folio (or, for a certifier, not its provider's)",
  })
  @ApiOperation({ operationId: 'getCertificate', summary: 'One certificate with holder, standard, provider, evaluator, agency, dates, status and position' })
  byFolio(@Param('folio', FolioPipe) folio: string, @QueryParameters() _query: ReadQuery, @CurrentActor() actor: Actor): Promise<CertificateView> {
    return this.certificates.byFolio(folio, certificateViewerOf(actor));
  }
}
