import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class RevokeEvaluatorAccreditationRequest {
  @ApiProperty({ example: 'EC0105' })
  @IsString()
  @MaxLength(16)
  standardCode: string;

  @ApiProperty({ example: 'Conflict of interest found in audit' })
  @IsString()
  @MaxLength(500)
  reason: string;
}
