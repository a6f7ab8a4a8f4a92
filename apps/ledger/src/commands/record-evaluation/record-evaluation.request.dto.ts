import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { IsFreeText } from '../../platform/http/free-text.validator';
import type { EvaluationResult } from '@ledger/domain';
import { INSTANT, INSTANT_MESSAGE } from '@ledger/platform';

export const EVALUATION_RESULTS: readonly EvaluationResult[] = ['competent', 'not_yet_competent'];

export class RecordEvaluationRequest {
  @ApiProperty({ enum: EVALUATION_RESULTS })
  @IsIn(EVALUATION_RESULTS)
  result: EvaluationResult;

  @ApiProperty({ example: `sha256:${'0'.repeat(64)}`, description: 'SHA-256 of the evidence portfolio, which stays outside the ledger' })
  @IsString()
  @IsFreeText()
  @MaxLength(80)
  evidenceDigest: string;

  @ApiProperty({ example: '2018-11-01T16:00:00Z', description: 'When the judgment was made; never in the future' })
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  evaluatedAt: string;
}
