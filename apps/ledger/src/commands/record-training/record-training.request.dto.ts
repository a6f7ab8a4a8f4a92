import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, Matches, Max, Min } from 'class-validator';
import { IDENTIFIER, IDENTIFIER_MESSAGE, INSTANT, INSTANT_MESSAGE } from '../../platform/http/request-formats';

export class RecordTrainingRequest {
  @ApiProperty({ example: 'trainer-17' })
  @Matches(IDENTIFIER, { message: IDENTIFIER_MESSAGE })
  trainerId: string;

  @ApiProperty({ example: 20, minimum: 0, maximum: 1000, description: 'Training hours delivered (more than 0)' })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(1000)
  hours: number;

  @ApiProperty({ example: '2018-10-20T18:00:00Z', description: 'When the training ended; never in the future' })
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  completedAt: string;
}
