import { ApiProperty } from '@nestjs/swagger';

/** Every command answers with the global position it wrote, so a query can wait for it (`minPosition`). */
export class PositionResponse {
  @ApiProperty({ description: 'Global position of the last event written, as a decimal string', example: '42' })
  position: string;
}

export function positionOf(position: bigint): PositionResponse {
  return { position: position.toString() };
}
