import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { LedgerConfig } from '@ledger/platform';
import { CertificateQueries, type PublicCertificateView } from '@ledger/read-models';
import { LEDGER_CONFIG } from '../../platform/config/config.tokens';
import type { HttpResponse } from '../../platform/http/http-types';
import { renderCertificateDocument } from '../certificate-document';
import { FolioPipe } from '../../commands/shared/route-params';
import { FOLIO_PARAM } from '../../platform/openapi/route-parameters';
import { PublicCertificateViewResponse } from '../dto/certificate.response';
import { ReadQuery } from '../dto/read-query.dto';
import { PublicQueryEndpoint, QueryAnswer } from '../query-endpoint.decorator';
import { QueryParameters } from '../read-your-writes.pipe';

@ApiTags('public')
@Controller('v1/public/certificates')
export class PublicCertificatesHttpController {
  constructor(
    private readonly certificates: CertificateQueries,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

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

  @Get(':folio/document')
  @ApiParam(FOLIO_PARAM)
  @PublicQueryEndpoint()
  @ApiProduces('application/pdf')
  @QueryAnswer({
    description: 'The printable certificate: A4, in Spanish, with its folio and a QR code of its verification page (/verify/{folio})',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
    notFound: 'CERTIFICATE_NOT_FOUND: a well-formed folio the registry does not hold',
  })
  @ApiOperation({
    operationId: 'getCertificateDocument',
    summary: 'The certificate as a PDF to print, without credentials',
    description:
      'Shows what the public verification shows, never a CURP, and the status on the day it is printed: a revoked or expired ' +
      'certificate says so across the page. The QR code points to the verification page on the configured public address (LEDGER_PUBLIC_URL).',
  })
  async document(@Param('folio', FolioPipe) folio: string, @QueryParameters() _query: ReadQuery, @Res() response: HttpResponse): Promise<void> {
    const certificate = await this.certificates.verify(folio);
    const bytes = await renderCertificateDocument(certificate, `${this.config.publicUrl}/verify/${encodeURIComponent(certificate.folio)}`);
    response.setHeader('Content-Type', 'application/pdf');
    response.setHeader('Content-Disposition', `inline; filename="certificado-${certificate.folio}.pdf"`);
    response.setHeader('Content-Length', String(bytes.byteLength));
    response.status(200);
    response.end(Buffer.from(bytes));
  }
}
