import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CallerOfCommand, type CommandCaller } from '../../platform/idempotency/command-caller';
import { CommandEndpoint } from '../shared/command-endpoint.decorator';
import { EnrollCandidateCommand, EnrollmentResponse } from './enroll-candidate.command';
import { EnrollCandidateRequest } from './enroll-candidate.request.dto';

@ApiTags('enrollments')
@Controller('v1/enrollments')
export class EnrollCandidateHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @CommandEndpoint(201, 'registrar')
  @ApiOperation({ operationId: 'enrollCandidate', summary: 'EnrollCandidate: open a certification process for a public servant (registrar of the provider or of its centre)' })
  @ApiCreatedResponse({ type: EnrollmentResponse, description: "The process is open: its id, the candidate's subjectId, and the position written" })
  enroll(@Body() request: EnrollCandidateRequest, @CallerOfCommand() caller: CommandCaller): Promise<EnrollmentResponse> {
    return this.commandBus.execute(new EnrollCandidateCommand(caller, request));
  }
}
