import { ApiProperty } from '@nestjs/swagger';

/** The body of `GET /health` (documentation only; the health controller writes it). */
export class HealthResponse {
  @ApiProperty({ enum: ['ok', 'unavailable'], description: 'ok once the ledger takes commands and its store answers' }) status: 'ok' | 'unavailable';
}
