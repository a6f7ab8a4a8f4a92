import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CallerOfCommand, type CommandCaller } from '../../platform/idempotency/command-caller';
import { CommandEndpoint } from '../shared/command-endpoint.decorator';
import { IssueCertificatesCommand, IssueCertificatesResponse } from './issue-certificates.command';
import { IssueCertificatesRequest } from './issue-certificates.request.dto';

@ApiTags('certificates')
@Controller('v1/certificate-batches')
export class IssueCertificatesHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @CommandEndpoint(200, 'certifier')
  @ApiOperation({ operationId: 'issueCertificates', summary: 'IssueCertificates: certify up to 5,000 processes at once, with a result per process' })
  @ApiOkResponse({ type: IssueCertificatesResponse, description: 'One result per process id, in request order; a rejected one carries its error' })
  issue(@Body() request: IssueCertificatesRequest, @CallerOfCommand() caller: CommandCaller): Promise<IssueCertificatesResponse> {
    return this.commandBus.execute(new IssueCertificatesCommand(caller, request));
  }
}
