import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ledger/domain';
import { AuditQueries, ProvenanceQueries, type AuditEventView, type CertificateProvenance, type Page } from '@ledger/read-models';
import { CurrentActor } from '../../platform/auth/current-actor.decorator';
import { RecordsAccess } from '../../access-log/access-log.interceptor';
import { FolioPipe } from '../../commands/shared/route-params';
import { FOLIO_PARAM } from '../../platform/openapi/route-parameters';
import { AuditEventPageResponse, CertificateProvenanceResponse } from '../dto/audit.response';
import { AuditEventsQuery } from '../dto/audit-events.query.dto';
import { ReadQuery } from '../dto/read-query.dto';
import { QueryAnswer, QueryEndpoint } from '../query-endpoint.decorator';
import { QueryParameters } from '../read-your-writes.pipe';
import { stateScopeOf } from '../viewers';

@ApiTags('audit')
@Controller('v1/audit')
export class AuditHttpController {
  constructor(
    private readonly audit: AuditQueries,
    private readonly provenance: ProvenanceQueries,
  ) {}

  @Get('events')
  @QueryEndpoint('comptroller')
  @QueryAnswer({ type: AuditEventPageResponse, description: 'A page of the audit trail, in log order' })
  @ApiOperation({ operationId: 'listAuditEvents', summary: 'The audit trail: one row per event, in log order, filtered' })
  events(@QueryParameters() query: AuditEventsQuery, @CurrentActor() actor: Actor): Promise<Page<AuditEventView>> {
    const { actorId, role, organizationId, type, streamId, from, to } = query;
    return this.audit.events({ actorId, role, organizationId, type, streamId, from, to }, query, stateScopeOf(actor));
  }

  @Get('certificates/:folio/provenance')
  @ApiParam(FOLIO_PARAM)
  @RecordsAccess((provenance: CertificateProvenance) => [provenance.subjectId])
  @QueryEndpoint('comptroller')
  @QueryAnswer({
    type: CertificateProvenanceResponse,
    description: "The certificate's history, step by step",
    notFound: 'CERTIFICATE_NOT_FOUND: no certificate with this folio',
  })
  @ApiOperation({
    operationId: 'getCertificateProvenance',
    summary: "Who enrolled, trained, evaluated (with the evaluator's accreditation in force that day), issued and revoked a certificate",
  })
  provenanceOf(@Param('folio', FolioPipe) folio: string, @QueryParameters() _query: ReadQuery, @CurrentActor() actor: Actor): Promise<CertificateProvenance> {
    return this.provenance.ofCertificate(folio, stateScopeOf(actor));
  }
}
