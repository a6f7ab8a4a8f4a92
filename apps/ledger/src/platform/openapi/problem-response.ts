import { ApiProperty } from '@nestjs/swagger';

/** The RFC 9457 shape of every error (documentation only; the filter writes it). */
export class FieldProblemResponse {
  @ApiProperty({ example: 'jurisdiction.state' }) field: string;
  @ApiProperty({ example: 'IS_STRING' }) code: string;
  @ApiProperty() message: string;
}

export class ProblemResponse {
  @ApiProperty() type: string;
  @ApiProperty() title: string;
  @ApiProperty() status: number;
  @ApiProperty() detail: string;
  @ApiProperty({ description: 'Stable machine-readable code', example: 'VALIDATION_FAILED' }) code: string;
  @ApiProperty() instance: string;
  @ApiProperty() correlationId: string;
  @ApiProperty({ type: [FieldProblemResponse], required: false }) errors?: FieldProblemResponse[];
}
