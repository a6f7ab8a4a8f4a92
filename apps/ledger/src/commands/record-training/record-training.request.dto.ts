import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, Matches, Max, Min } from 'class-validator';
import { MAX_TRAINING_HOURS, MIN_TRAINING_HOURS } from '@ledger/domain';
import { IDENTIFIER, IDENTIFIER_MESSAGE, INSTANT, INSTANT_MESSAGE } from '@ledger/platform';

export class RecordTrainingRequest {
  @ApiProperty({ example: 'trainer-17' })
  @Matches(IDENTIFIER, { message: IDENTIFIER_MESSAGE })
  trainerId: string;

  // The hundredths are the domain's rule: class-validator's maxDecimalPlaces throws on a number written with an exponent (1e-9).
  @ApiProperty({ example: 20, minimum: MIN_TRAINING_HOURS, maximum: MAX_TRAINING_HOURS, description: 'Training hours delivered, to the hundredth' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(MIN_TRAINING_HOURS)
  @Max(MAX_TRAINING_HOURS)
  hours: number;

  @ApiProperty({ example: '2018-10-20T18:00:00Z', description: 'When the training ended; never in the future' })
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  completedAt: string;
}
