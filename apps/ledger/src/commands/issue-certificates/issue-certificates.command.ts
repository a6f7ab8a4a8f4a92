import { Command } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CommandCaller } from '../../platform/idempotency/command-caller';
import type { IssueCertificatesRequest } from './issue-certificates.request.dto';

export class BatchItemError {
  @ApiProperty({ example: 422 }) status: number;
  @ApiProperty({ example: 'NOT_COMPETENT' }) code: string;
  @ApiProperty() detail: string;
}

export class BatchItemResult {
  @ApiProperty({ format: 'uuid' }) processId: string;
  @ApiProperty({ enum: ['issued', 'rejected'] }) status: 'issued' | 'rejected';
  @ApiPropertyOptional() folio?: string;
  @ApiPropertyOptional() validUntil?: string;
  @ApiPropertyOptional() position?: string;
  @ApiPropertyOptional({ type: BatchItemError }) error?: BatchItemError;
}

export class IssueCertificatesResponse {
  @ApiProperty({ type: [BatchItemResult], description: 'One result per process id, in request order' })
  results: BatchItemResult[];
}

export class IssueCertificatesCommand extends Command<IssueCertificatesResponse> {
  constructor(
    readonly caller: CommandCaller,
    readonly request: IssueCertificatesRequest,
  ) {
    super();
  }
}
