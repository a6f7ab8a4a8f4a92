import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CallerOfCommand, type CommandCaller } from '../../platform/idempotency/command-caller';
import { PROCESS_ID_PARAM } from '../../platform/openapi/route-parameters';
import { CommandEndpoint } from '../shared/command-endpoint.decorator';
import { processIdPipe } from '../shared/route-params';
import { CertificateResponse, IssueCertificateCommand } from './issue-certificate.command';
import { IssueCertificateRequest } from './issue-certificate.request.dto';

@ApiTags('certificates')
@Controller('v1/enrollments/:processId/certificate')
export class IssueCertificateHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiParam(PROCESS_ID_PARAM)
  @CommandEndpoint(201, 'certifier')
  @ApiOperation({ operationId: 'issueCertificate', summary: 'IssueCertificate: certify a candidate judged competent (certifier of the enrolling provider); issuing twice yields the same folio' })
  @ApiCreatedResponse({ type: CertificateResponse, description: 'The certificate is issued (or was already: the same folio again)' })
  issue(
    @Param('processId', processIdPipe()) processId: string,
    @Body() request: IssueCertificateRequest,
    @CallerOfCommand() caller: CommandCaller,
  ): Promise<CertificateResponse> {
    return this.commandBus.execute(new IssueCertificateCommand(caller, processId, request));
  }
}
