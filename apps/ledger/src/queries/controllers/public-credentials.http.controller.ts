import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiParam, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { LedgerConfig, LedgerSecrets } from '@ledger/platform';
import { certificateCredential, CertificateQueries } from '@ledger/read-models';
import { ed25519DidKey, parseSignerKey, signWithEddsaJcs2022, type Ed25519DidKey, type NoteSignerKey } from '@ledger/verifiable-log';
import { FolioPipe } from '../../commands/shared/route-params';
import { LEDGER_CONFIG, LEDGER_SECRETS } from '../../platform/config/config.tokens';
import type { HttpResponse } from '../../platform/http/http-types';
import { FOLIO_PARAM } from '../../platform/openapi/route-parameters';
import { CertificateCredentialResponse, CREDENTIAL_MEDIA_TYPE, type SignedCertificateCredential } from '../dto/certificate-credential.response';
import { ReadQuery } from '../dto/read-query.dto';
import { PublicQueryEndpoint, QueryAnswer } from '../query-endpoint.decorator';
import { QueryParameters } from '../read-your-writes.pipe';

/** Express's send also takes bytes; a string body would get a charset parameter that application/vc does not define. */
type BytesResponse = HttpResponse & { send(body: Buffer): HttpResponse };

/** The instant to the whole second, as `2026-12-01T10:00:00Z`: one credential per certificate and second. */
function wholeSecond(now: Date): string {
  return new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const DESCRIPTION = [
  [
    'A W3C Verifiable Credential (Data Model 2.0) in the Open Badges 3.0 shape (OpenBadgeCredential): the achievement is the competency',
    'standard (its title, its code as humanCode, the criteria), the holder is named as an IdentityObject of type name (never a CURP or',
    "subjectId), the issuer is the certification provider, validFrom and validUntil are the certificate's. credentialStatus",
    '(LedgerCertificateStatus) states valid, revoked or expired as of statusAsOf, the instant of the answer; its id is the public',
    "verification route, which answers the status now. evidence points at the certificate's inclusion-proof bundle",
    '(/v1/public/certificates/{folio}/proof).',
  ],
  [
    "Signed by the ledger on the provider's behalf with a DataIntegrityProof of cryptosuite eddsa-jcs-2022 (W3C Data Integrity",
    "EdDSA Cryptosuites v1.0), proofPurpose assertionMethod, by the log key, the Ed25519 key that also signs the log's checkpoints.",
    "The verification method is that key's did:key (did:key:z + base58btc(0xed 0x01 ‖ public key), #z… the key itself), which is also",
    "the issuer's id: its DID document follows from the identifier alone, with no resolution over the network. GET /v1/log/key answers",
    'the same key as a signed-note verifier key, <name>+<key id>+base64(0x01 ‖ public key): compare the 32 bytes to pin the ledger.',
  ],
  [
    'The media type is application/vc (VC 2.0 §6.3). The same certificate at the same second gives the same bytes and ETag:',
    'revalidate with If-None-Match. A folio whose check character does not match is 400 FOLIO_CHECK; a well-formed folio the',
    'registry does not hold is 404 CERTIFICATE_NOT_FOUND.',
  ],
]
  .map((paragraph) => paragraph.join(' '))
  .join('\n\n');

@ApiTags('public')
@ApiExtraModels(CertificateCredentialResponse)
@Controller('v1/public/certificates')
export class PublicCredentialsHttpController {
  private readonly logKey: NoteSignerKey;
  private readonly didKey: Ed25519DidKey;

  constructor(
    private readonly certificates: CertificateQueries,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    @Inject(LEDGER_SECRETS) secrets: LedgerSecrets,
  ) {
    this.logKey = parseSignerKey(secrets.logKey);
    this.didKey = ed25519DidKey(this.logKey.publicKey);
  }

  @Get(':folio/credential')
  @ApiParam(FOLIO_PARAM)
  @PublicQueryEndpoint()
  @QueryAnswer({
    description: 'The certificate as a signed Verifiable Credential (Open Badges 3.0): never a CURP or subjectId',
    content: { [CREDENTIAL_MEDIA_TYPE]: { schema: { $ref: getSchemaPath(CertificateCredentialResponse) } } },
    headers: { ETag: { description: 'The same for the same bytes: the same certificate at the same second', schema: { type: 'string' } } },
    notFound: 'CERTIFICATE_NOT_FOUND: a well-formed folio the registry does not hold',
  })
  @ApiOperation({ operationId: 'getCertificateCredential', summary: 'A certificate as a W3C Verifiable Credential signed with eddsa-jcs-2022, without credentials', description: DESCRIPTION })
  async credential(@Param('folio', FolioPipe) folio: string, @QueryParameters() _query: ReadQuery, @Res() response: BytesResponse): Promise<void> {
    const asOf = wholeSecond(new Date());
    const view = await this.certificates.verify(folio, asOf);
    const unsigned = certificateCredential(view, { publicUrl: this.config.publicUrl, issuerDid: this.didKey.did, asOf });
    const credential: SignedCertificateCredential = signWithEddsaJcs2022(unsigned, this.logKey, { created: asOf });
    response.status(200).setHeader('Content-Type', CREDENTIAL_MEDIA_TYPE);
    response.send(Buffer.from(JSON.stringify(credential), 'utf8'));
  }
}
