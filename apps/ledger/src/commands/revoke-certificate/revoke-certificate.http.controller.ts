import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CallerOfCommand, type CommandCaller } from '../../platform/idempotency/command-caller';
import { FOLIO_PARAM } from '../../platform/openapi/route-parameters';
import { CommandEndpoint } from '../shared/command-endpoint.decorator';
import { PositionResponse } from '../shared/command-responses';
import { RevokeCertificateCommand } from './revoke-certificate.command';
import { RevokeCertificateRequest } from './revoke-certificate.request.dto';

@ApiTags('certificates')
@Controller('v1/certificates/:folio/revocation')
export class RevokeCertificateHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiParam(FOLIO_PARAM)
  @CommandEndpoint(201, 'certifier', 'authority')
  @ApiOperation({ operationId: 'revokeCertificate', summary: 'RevokeCertificate: revoke a certificate with a reason (issuing certifier or authority); history is kept' })
  @ApiCreatedResponse({ type: PositionResponse, description: 'The certificate is revoked' })
  revoke(@Param('folio') folio: string, @Body() request: RevokeCertificateRequest, @CallerOfCommand() caller: CommandCaller): Promise<PositionResponse> {
    return this.commandBus.execute(new RevokeCertificateCommand(caller, folio, request));
  }
}
