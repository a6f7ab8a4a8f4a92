import { Command } from '@nestjs/cqrs';
import { ApiProperty } from '@nestjs/swagger';
import type { CommandCaller } from '../../platform/idempotency/command-caller';
import type { EnrollCandidateRequest } from './enroll-candidate.request.dto';

export class EnrollmentResponse {
  @ApiProperty({ format: 'uuid' }) processId: string;
  @ApiProperty({ description: 'Opaque id of the person (keyed hash of the CURP)' }) subjectId: string;
  @ApiProperty({ example: '42' }) position: string;
}

export class EnrollCandidateCommand extends Command<EnrollmentResponse> {
  constructor(
    readonly caller: CommandCaller,
    readonly request: EnrollCandidateRequest,
  ) {
    super();
  }
}
