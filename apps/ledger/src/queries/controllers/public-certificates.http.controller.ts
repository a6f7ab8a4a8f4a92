import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CertificateQueries, type PublicCertificateView } from '@ledger/read-models';
import { FolioPipe } from '../../commands/shared/route-params';
import { FOLIO_PARAM } from '../../platform/openapi/route-parameters';
import { PublicCertificateViewResponse } from '../dto/certificate.response';
import { ReadQuery } from '../dto/read-query.dto';
import { PublicQueryEndpoint, QueryAnswer } from '../query-endpoint.decorator';
import { QueryParameters } from '../read-your-writes.pipe';

@ApiTags('public')
@Controller('v1/public/certificates')
export class PublicCertificatesHttpController {
  constructor(private readonly certificates: CertificateQueries) {}

  @Get(':folio')
  @ApiParam(FOLIO_PARAM)
  @PublicQueryEndpoint()
  @QueryAnswer({
    type: PublicCertificateViewResponse,
    description: 'The certificate as anyone may see it: never a CURP',
    notFound: 'CERTIFICATE_NOT_FOUND: a well-formed folio the registry does not hold',
  })
  @ApiOperation({
    operationId: 'verifyCertificate',
    summary: 'Verify a certificate by its folio, without credentials',
    description:
      'Answers the holder name, standard, provider, dates and status, never a CURP. A folio whose check character does not match ' +
      '(a typo) is 400 FOLIO_CHECK; a well-formed folio the registry does not hold is 404 CERTIFICATE_NOT_FOUND.',
  })
  verify(@Param('folio', FolioPipe) folio: string, @QueryParameters() _query: ReadQuery): Promise<PublicCertificateView> {
    return this.certificates.verify(folio);
  }
}
