import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiParam, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { FolioPipe } from '../../commands/shared/route-params';
import type { HttpResponse } from '../../platform/http/http-types';
import { FOLIO_PARAM } from '../../platform/openapi/route-parameters';
import { CertificateProofs } from '../certificate-proofs';
import { CertificateProofResponse } from '../dto/certificate-proof.response';
import { ReadQuery } from '../dto/read-query.dto';
import { PublicQueryEndpoint, QueryAnswer } from '../query-endpoint.decorator';
import { QueryParameters } from '../read-your-writes.pipe';

type BytesResponse = HttpResponse & { send(body: Buffer): HttpResponse };

const DESCRIPTION = [
  [
    "A certificate that proves itself, with no personal data: its history's entries in the verifiable log (issuance, enrollment, the",
    "competent judgment it was issued on, the judging evaluator's accreditation that gave the authority at the time, and the",
    'revocation when the checkpoint holds one), each as the exact bytes the leaf hashes (base64) with a c2sp.org/tlog-proof@v1',
    "inclusion proof in one signed checkpoint, the latest the read models have folded; and the certificate's status as of that",
    'checkpoint and instant, a signed note by the log key that also names each entry\'s role, position, leaf index and leaf hash.',
  ],
  [
    'The bundle is its RFC 8785 canonical JSON: any byte changed, added or removed fails verification. Check it offline with',
    '`npm run ledger -- verify-certificate FILE --key VKEY`, VKEY being GET /v1/log/key obtained once. Entries come from',
    'certification and evaluator streams, which name people only by opaque subject ids.',
  ],
  [
    'A certificate issued in the last seconds is 404 PROOF_NOT_YET_AVAILABLE with Retry-After until a checkpoint covers it; one',
    'whose history lacks a step (imported without its judgment) is 404 PROOF_NOT_AVAILABLE; an unknown folio 404',
    'CERTIFICATE_NOT_FOUND, a mistyped one 400 FOLIO_CHECK. 503 LOG_DOES_NOT_PROVE when the log and the store disagree',
    '(the ledger checks every bundle before it answers it).',
  ],
]
  .map((paragraph) => paragraph.join(' '))
  .join('\n\n');

@ApiTags('public')
@ApiExtraModels(CertificateProofResponse)
@Controller('v1/public/certificates')
export class PublicProofsHttpController {
  constructor(private readonly proofs: CertificateProofs) {}

  @Get(':folio/proof')
  @ApiParam(FOLIO_PARAM)
  @PublicQueryEndpoint()
  @QueryAnswer({
    description: "The certificate's proof bundle (certification-ledger/certificate-proof@v1), canonical JSON",
    content: { 'application/json': { schema: { $ref: getSchemaPath(CertificateProofResponse) } } },
    notFound:
      'CERTIFICATE_NOT_FOUND: a well-formed folio the registry does not hold; PROOF_NOT_YET_AVAILABLE (with Retry-After): not yet in a signed checkpoint; PROOF_NOT_AVAILABLE: its history lacks a step to prove it with',
  })
  @ApiOperation({ operationId: 'getCertificateProof', summary: "A certificate's entries in the verifiable log with inclusion proofs and a signed status, without credentials", description: DESCRIPTION })
  async proof(@Param('folio', FolioPipe) folio: string, @QueryParameters() _query: ReadQuery, @Res() response: BytesResponse): Promise<void> {
    const bytes = await this.proofs.bundle(folio);
    response.status(200).setHeader('Content-Type', 'application/json');
    response.setHeader('Cache-Control', 'no-cache');
    response.send(bytes);
  }
}
